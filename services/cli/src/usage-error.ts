/** A command line the user got wrong: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
