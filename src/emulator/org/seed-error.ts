/** A seed or metadata file that cannot be used; the message names the file, the place and the fix. */
export class SeedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SeedError'
  }
}
