/** The CLI's own failures; device and transport failures are core's typed errors. */

/** Bad command line: unknown option, bad value, missing confirmation flag. Exit status 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file named on the command line cannot be read or written. Exit status 15. */
export class FileError extends Error {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FileError';
    this.path = path;
  }
}

/** The device answered GOOD but what it sent does not make sense. Exit status 97. */
export class MalformedResponseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedResponseError';
  }
}
