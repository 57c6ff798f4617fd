// "Is it a face?": a crop the autoencoder reconstructs much worse than the faces it was trained on is probably not
// a face (a detector false positive: a pattern in foliage, a poster, a wheel). The score turns the relative
// reconstruction error (latent.ts facenessErrors: MSE over the crop's variance) into a 0..1 number against the
// error distribution of the faces it trained on and held out (calibrateForUnseenFaces), stored with the model.

/** Log-error statistics of the faces a model was trained and held out on (calibrateForUnseenFaces), saved in its manifest. */
export interface FacenessCalibration {
  /** Mean and standard deviation of ln(relative reconstruction error) over the crops (versions before 2026-12: training crops only). */
  logErrorMean: number;
  logErrorStd: number;
  faces: number;
  /** Where the errors were measured (latent.ts FacenessRegion); absent in versions calibrated on the whole crop. */
  region?: 'face';
}

/**
 * Faces scoring below this go to the review list instead of into people (z > 2.58 above the training faces' mean
 * log-error). At 0.05 (z > 2), with the error over the whole crop, the lfw library's model flagged 58 of its 1,829
 * faces, every one a real face (mostly against saturated backgrounds), and kept them out of their people. With the
 * error inside the face oval (latent.ts) and 0.01, the same model flags 8 (blurred, cut-off and half-turned faces)
 * and 89% of random windows of photos without faces. Non-faces that look like a face to the detector are mostly
 * caught earlier, by the landmark fit (models/face-quality.ts).
 */
export const FACENESS_REVIEW_THRESHOLD = 0.01;

/** Calibrates errors measured over the face oval (facenessErrors' default region). */
export function calibrateFaceness(errors: Float32Array): FacenessCalibration {
  if (errors.length < 2) throw new Error('Faceness calibration needs at least 2 face crops.');
  const logs = Array.from(errors, (e) => Math.log(Math.max(e, 1e-8)));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1);
  return { logErrorMean: mean, logErrorStd: Math.max(Math.sqrt(variance), 1e-3), faces: logs.length, region: 'face' };
}

/**
 * The calibration a model is saved with: against the errors of faces it never trained on (its held-out faces), as every
 * face it scores later is (new imports, and most of a large library's, outside the training sample). A model trained
 * long on a few hundred faces reconstructs those much better than any other face: calibrated on them alone, it doubted
 * most clear faces of new photos (QA: 24 of 40 new faces, 14 of 22 held-out ones, all sharp and frontal). Never
 * stricter than the training faces' own spread; a held-out set too small to measure a spread takes theirs.
 */
export function calibrateForUnseenFaces(trainingErrors: Float32Array, heldOutErrors: Float32Array): FacenessCalibration {
  const seen = calibrateFaceness(trainingErrors);
  if (heldOutErrors.length < 2) return seen;
  const unseen = calibrateFaceness(heldOutErrors);
  return {
    ...seen,
    logErrorMean: Math.max(seen.logErrorMean, unseen.logErrorMean),
    logErrorStd: Math.max(seen.logErrorStd, unseen.logErrorStd),
    faces: seen.faces + unseen.faces,
  };
}

/** Standard normal upper tail, Q(z) = 1 - Phi(z) (Abramowitz-Stegun 7.1.26 via erfc, |error| < 1.5e-7). */
function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * 1 for crops reconstructed as well as a typical face of the calibration or better; falls to 0.05 at two standard deviations
 * of extra log-error (two-sided tail probability of the excess), towards 0 beyond.
 */
export function facenessScore(error: number, calibration: FacenessCalibration): number {
  const z = (Math.log(Math.max(error, 1e-8)) - calibration.logErrorMean) / calibration.logErrorStd;
  return z <= 0 ? 1 : 2 * upperTail(z);
}

/** Area under the ROC curve: probability a random positive scores above a random negative (ties count half). */
export function rocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  if (positives.length === 0 || negatives.length === 0) throw new Error('AUC needs positives and negatives.');
  const all = [...Array.from(positives, (s) => ({ s, p: 1 })), ...Array.from(negatives, (s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].s === all[i].s) j++;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k].p === 1) rankSum += averageRank;
    i = j;
  }
  const np = positives.length;
  return (rankSum - (np * (np + 1)) / 2) / (np * negatives.length);
}

/** The region a calibration's errors were measured over: score new crops over the same one. */
export function facenessRegion(calibration: FacenessCalibration): 'face' | 'whole' {
  return calibration.region ?? 'whole';
}
