// face-api's 128-d recognition network (a port of dlib's ResNet-29 metric net), run by Familiar's own forward
// pass over the same weights. face-api follows every convolution with separate bias, scale-multiply,
// scale-add and ReLU kernels, and pads channels and borders with concatenations; here the affine "scale"
// layer is folded into each conv's filter and bias once, bias and ReLU run inside the conv (fused kernels),
// and the mirrored chip is batched with the chip in one pass. tests/models/resnet128.test.ts checks the
// descriptors against face-api's own pass.
import type { Tf } from './backend.js';
import type { FaceApi } from './faceapi.js';

type Tensor1D = ReturnType<Tf['tensor1d']>;
type Tensor2D = ReturnType<Tf['tensor2d']>;
type Tensor4D = ReturnType<Tf['tensor4d']>;

/** Side of the chips the network takes. */
export const RESNET_CHIP_SIZE = 150;
/** dlib's training mean, subtracted before dividing by 255 (face-api's FaceRecognitionNet). */
const MEAN_RGB = [122.782, 117.001, 104.298];

interface FusedConv {
  filter: Tensor4D;
  bias: Tensor1D;
}
interface Block {
  conv1: FusedConv;
  conv2: FusedConv;
  down: boolean;
}
interface ConvLayerParams {
  conv: { filters: Tensor4D; bias: Tensor1D };
  scale: { weights: Tensor1D; biases: Tensor1D };
}
type ResidualParams = { conv1: ConvLayerParams; conv2: ConvLayerParams };

const BLOCKS: { name: string; down: boolean }[] = [
  ...['conv32_1', 'conv32_2', 'conv32_3'].map((name) => ({ name, down: false })),
  { name: 'conv64_down', down: true },
  ...['conv64_1', 'conv64_2', 'conv64_3'].map((name) => ({ name, down: false })),
  { name: 'conv128_down', down: true },
  ...['conv128_1', 'conv128_2'].map((name) => ({ name, down: false })),
  { name: 'conv256_down', down: true },
  ...['conv256_1', 'conv256_2'].map((name) => ({ name, down: false })),
  { name: 'conv256_down_out', down: true },
];

export class ResNet128 {
  private constructor(
    private readonly tf: Tf,
    private readonly stem: FusedConv,
    private readonly blocks: Block[],
    private readonly fc: Tensor2D,
    private readonly mean: Tensor1D,
  ) {}

  /** Builds the network from face-api's loaded recognition net (loadFaceApiNets(['faceRecognitionNet']) first). */
  static fromFaceApi(faceapi: FaceApi, tf: Tf): ResNet128 {
    const params = (faceapi.nets.faceRecognitionNet as unknown as { params?: Record<string, unknown> }).params;
    if (!params) throw new Error('The face recognition weights are not loaded.');
    // conv -> + bias -> * w + b  ==  conv with filter * w (per output channel) and bias * w + b.
    const fold = (layer: ConvLayerParams): FusedConv => {
      const [filter, bias] = tf.tidy(() => [
        tf.mul(layer.conv.filters, layer.scale.weights),
        tf.add(tf.mul(layer.conv.bias, layer.scale.weights), layer.scale.biases),
      ]) as [Tensor4D, Tensor1D];
      return { filter, bias };
    };
    const blocks = BLOCKS.map(({ name, down }) => {
      const p = params[name] as ResidualParams | undefined;
      if (!p) throw new Error(`The face recognition weights have no ${name} block.`);
      return { conv1: fold(p.conv1), conv2: fold(p.conv2), down };
    });
    const fc = tf.clone(params.fc as Tensor2D);
    return new ResNet128(tf, fold(params.conv32_down as ConvLayerParams), blocks, fc, tf.tensor1d(MEAN_RGB));
  }

  /** Raw (unnormalised) 128-d descriptors of a batch of chips: [n, 150, 150, 3], 0..255. */
  async describe(chips: Tensor4D): Promise<Float32Array[]> {
    const [n, height, width] = chips.shape;
    if (height !== RESNET_CHIP_SIZE || width !== RESNET_CHIP_SIZE) throw new Error(`Chips must be ${RESNET_CHIP_SIZE}x${RESNET_CHIP_SIZE} (got ${width}x${height}).`);
    const out = this.tf.tidy(() => this.forward(chips));
    try {
      const data = (await out.data()) as Float32Array;
      return Array.from({ length: n }, (_, i) => data.slice(i * 128, (i + 1) * 128));
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    for (const c of [this.stem, ...this.blocks.flatMap((b) => [b.conv1, b.conv2])]) {
      c.filter.dispose();
      c.bias.dispose();
    }
    this.fc.dispose();
    this.mean.dispose();
  }

  private forward(chips: Tensor4D): Tensor2D {
    const tf = this.tf;
    const x = tf.div(tf.sub(tf.cast(chips, 'float32'), this.mean), 255) as Tensor4D;
    let out = this.conv(x, this.stem, 2, 'valid', 'relu');
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const block of this.blocks) out = block.down ? this.residualDown(out, block) : this.residual(out, block);
    return tf.matMul(tf.mean(out, [1, 2]) as Tensor2D, this.fc);
  }

  private residual(x: Tensor4D, block: Block): Tensor4D {
    const out = this.conv(this.conv(x, block.conv1, 1, 'same', 'relu'), block.conv2, 1, 'same', 'linear');
    return this.tf.relu(this.tf.add(out, x)) as Tensor4D;
  }

  /** Stride-2 block: the shortcut is a 2x2 average pool, zero-padded to the new channel count. */
  private residualDown(x: Tensor4D, block: Block): Tensor4D {
    const tf = this.tf;
    let out = this.conv(this.conv(x, block.conv1, 2, 'valid', 'relu'), block.conv2, 1, 'same', 'linear');
    let shortcut = tf.avgPool(x, 2, 2, 'valid') as Tensor4D;
    // Odd sizes: the valid 3x3 conv is one short of the pool; face-api pads it with zeros at the bottom and right.
    const rows = shortcut.shape[1] - out.shape[1], cols = shortcut.shape[2] - out.shape[2];
    if (rows > 0 || cols > 0) out = tf.pad(out, [[0, 0], [0, rows], [0, cols], [0, 0]]);
    const channels = out.shape[3] - shortcut.shape[3];
    if (channels > 0) shortcut = tf.pad(shortcut, [[0, 0], [0, 0], [0, 0], [0, channels]]);
    return tf.relu(tf.add(out, shortcut)) as Tensor4D;
  }

  private conv(x: Tensor4D, conv: FusedConv, strides: 1 | 2, pad: 'same' | 'valid', activation: 'relu' | 'linear'): Tensor4D {
    return this.tf.fused.conv2d({ x, filter: conv.filter, strides, pad, bias: conv.bias, activation });
  }
}
