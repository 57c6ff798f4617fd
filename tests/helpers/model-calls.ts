// The analysis pool as an import uses it (closer looks and drawn boxes pass their options through), counting the
// pictures handed to the face models: what the tests and benchmarks of photos restored without analysis count.
import type { FaceAnalysisService } from '../../main/library/import.js';
import type { AnalyzeOptions } from '../../models/pipeline.js';
import type { DetectedFace, RgbImage } from '../../models/types.js';

export class ModelCalls implements FaceAnalysisService {
  calls = 0;
  constructor(private readonly pool: Required<FaceAnalysisService>) {}
  get size(): number {
    return this.pool.size;
  }
  analyze(image: RgbImage, options?: Pick<AnalyzeOptions, 'closerLook' | 'panorama' | 'drawnBox'>): Promise<DetectedFace[]> {
    this.calls++;
    return this.pool.analyze(image, options);
  }
}
