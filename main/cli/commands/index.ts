// Every `familiar` sub-command, in the order `familiar help` lists them. Add yours with one import and one entry.
import type { Command } from '../command.js';
import { importCommand } from './import.js';
import { facesCommand } from './faces.js';
import { addFaceCommand } from './add-face.js';
import { doctorCommand } from './doctor.js';
import { serveCommand } from './serve.js';
import { trainEmbedderCommand } from './train.js';
import { modelsCommand, modelsUseCommand } from './models.js';
import { peopleCommand } from './people.js';
import { peopleMaybeCommand } from './people-maybe.js';
import { peopleSameCommand } from './people-same.js';
import { nameCommand } from './name.js';
import { mergeCommand } from './merge.js';
import { moveCommand } from './move.js';
import { rejectCommand } from './reject.js';
import { confirmCommand } from './confirm.js';
import { ignoreCommand } from './ignore.js';
import { notAFaceCommand } from './not-a-face.js';
import { suggestCommand } from './suggest.js';
import { unlikeCommand } from './unlike.js';
import { splitCommand } from './split.js';
import { separateCommand } from './separate.js';
import { deleteCommand } from './delete.js';
import { hideCommand, showCommand } from './hide.js';
import { coverCommand } from './cover.js';
import { birthdayCommand } from './birthday.js';
import { unsureCommand } from './unsure.js';
import { whoCommand } from './who.js';
import { sameCommand } from './same.js';
import { searchCommand } from './search.js';
import { copyCommand } from './copy.js';
import { reclusterCommand } from './recluster.js';
import { removeCommand } from './remove.js';
import { undoCommand } from './undo.js';
import { redoCommand } from './redo.js';
import { namesExportCommand, namesImportCommand } from './names.js';
import { trainAutoencoderCommand } from './train-autoencoder.js';
import { interpolateCommand } from './interpolate.js';
import { arithmeticCommand } from './arithmetic.js';
import { denoiseCommand } from './denoise.js';

export const commands: Command[] = [
  importCommand, removeCommand, facesCommand, addFaceCommand, doctorCommand,
  serveCommand, trainEmbedderCommand, modelsCommand, modelsUseCommand,
  peopleCommand,
  peopleMaybeCommand,
  peopleSameCommand,
  nameCommand,
  mergeCommand,
  moveCommand,
  rejectCommand,
  confirmCommand,
  ignoreCommand,
  notAFaceCommand,
  suggestCommand,
  unlikeCommand,
  splitCommand,
  separateCommand,
  deleteCommand,
  hideCommand,
  showCommand,
  coverCommand,
  birthdayCommand,
  unsureCommand,
  whoCommand,
  sameCommand,
  searchCommand,
  copyCommand,
  reclusterCommand,
  undoCommand,
  redoCommand,
  namesExportCommand,
  namesImportCommand,
  trainAutoencoderCommand,
  interpolateCommand,
  arithmeticCommand,
  denoiseCommand,
];
