/** Small hostile inputs shared by the tests of issue 14. */

/** A YAML spec of `levels` anchors, each a list of `fan` aliases to the one before: fan^levels values once expanded. */
export function aliasBomb(levels = 9, fan = 10): string {
  let text = 'openapi: 3.0.3\ninfo: {title: Bomb, version: "1"}\npaths: {}\nx-l0: &l0 [lol]\n'
  for (let i = 1; i <= levels; i++) text += `x-l${i}: &l${i} [${Array.from({length: fan}, () => `*l${i - 1}`).join(', ')}]\n`
  return text
}

/** JSON nested `levels` deep: `[[[…]]]`. */
export function deepJson(levels = 100_000): string {
  return '['.repeat(levels) + ']'.repeat(levels)
}
