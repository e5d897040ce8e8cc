/**
 * How deep a parsed JSON value nests, checked without recursion. A response nested thousands of
 * levels deep parses fine (`JSON.parse` does not recurse) but breaks everything that walks it
 * afterwards with "Maximum call stack size exceeded": the clients refuse it first.
 */

/** Nesting the clients accept in a response: AppLink's and the Platform API's resources need a handful. */
export const MAX_RESPONSE_DEPTH = 100

/** True when `value` holds objects or arrays nested more than `max` levels (the value itself is level 1). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (node === null || typeof node !== 'object') continue
    if (depth > max) return true
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
  }

  return false
}
