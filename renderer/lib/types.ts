// The shapes the screens use: the contract's own types (preload/contract.ts is the single source), plus the
// event union the live state consumes.
import type { EventPayload } from '../../preload/contract.js';

export type {
  AmbiguousFace,
  BackendInfo,
  CallArgs,
  CallName,
  CallResult,
  DoctorReport,
  FaceSummary,
  ImageRef,
  FolderRemovalPlan,
  ImportResult,
  InterpolationResult,
  JobInfo,
  JobKind,
  JobProgress,
  LibraryInfo,
  InterruptedTraining,
  ModelsList,
  ModelVersion,
  PersonDetail,
  PersonFaceOrder,
  PersonSummary,
  PhotoDetail,
  PhotoPage,
  PhotoSummary,
  Settings,
  Suggestion,
  TwoPeople,
  TrainingResult,
  OperationResult,
} from '../../preload/contract.js';

export type AppEvent =
  | ({ type: 'job.progress' } & EventPayload<'job.progress'>)
  | ({ type: 'job.done' } & EventPayload<'job.done'>)
  | ({ type: 'library.changed' } & EventPayload<'library.changed'>);

export type ModelKind = 'embedder' | 'autoencoder';
