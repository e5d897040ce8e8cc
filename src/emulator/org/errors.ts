/** Salesforce REST errors: answered as `[{message, errorCode, fields?}]` with an HTTP status. */
export class SfError extends Error {
  readonly errorCode: string
  readonly fields?: string[]
  readonly status: number

  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message)
    this.name = 'SfError'
    this.status = status
    this.errorCode = errorCode
    this.fields = fields
  }

  body(): Record<string, unknown>[] {
    return [{errorCode: this.errorCode, ...(this.fields ? {fields: this.fields} : {}), message: this.message}]
  }
}

export const malformedQuery = (message: string) => new SfError(400, 'MALFORMED_QUERY', message)
export const unsupported = (what: string) => malformedQuery(`${what} is not supported by the AppLink emulator's SOQL engine. Supported: field lists, parent fields, child subqueries, WHERE with = != < > <= >= LIKE IN NOT IN AND OR NOT, ORDER BY, LIMIT, OFFSET, COUNT() and common date literals.`)
export const invalidField = (message: string, fields?: string[]) => new SfError(400, 'INVALID_FIELD', message, fields)
export const invalidType = (name: string) => new SfError(400, 'INVALID_TYPE', `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`)
export const notFoundError = (message = 'The requested resource does not exist') => new SfError(404, 'NOT_FOUND', message)
export const malformedId = (type: string, id: string) => new SfError(400, 'MALFORMED_ID', `${type} ID: id value of incorrect type: ${id}`)
