/** An error the CLI reports as one line, its message and its code, with an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** A stable code, as the API's problem codes: FILE_NOT_FOUND, NOT_A_FRAME, SERVER_UNREACHABLE... */
    readonly code = 'CLI_FAILED',
  ) {
    super(message);
  }
}
