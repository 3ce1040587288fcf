import { AppError } from '../../src/domain/errors';

export type EmbeddedDbErrorCode =
  | 'db_setup_needed' // apt packages or root rights missing: the message holds the command to run
  | 'db_source_mismatch' // a tarball is missing or its SHA-256 is not the pinned one
  | 'db_build_failed'
  | 'db_locked' // another process runs the embedded database on this data folder
  | 'db_start_failed';

/** Building or starting the embedded database failed; `message` says what to do about it. */
export class EmbeddedDbError extends AppError {
  constructor(code: EmbeddedDbErrorCode, message: string) {
    super(code, message);
  }
}
