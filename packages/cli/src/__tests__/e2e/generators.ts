/**
 * Deterministic bad input for the edge-case battery: explicit tables of the inputs the issue names, plus seeded
 * mutations of valid values, so a failing case is reproducible from its label alone.
 */

/** One bad input: a label for the failure message and the value to feed in. */
export interface BadCase<T = string> {
  label: string
  value: T
}

/** mulberry32: tiny, fast and good enough to pick mutations; the same seed always yields the same cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

/** Characters no workspace name may hold, each from a family the issue lists. */
const FORBIDDEN_CHARACTERS = [
  ' ',
  '\t',
  'A',
  'Z',
  'é',
  'ß',
  'а', // Cyrillic a: looks like a Latin one
  '日',
  '🚀',
  'א', // Hebrew: right-to-left
  '\u202e', // right-to-left override
  '\u200b', // zero-width space
  '\u0007',
  '\u001b',
  '\n',
  '_',
  '.',
  '/',
  '\\',
  ':',
  '@',
  '$',
  '`',
  ';',
  '*',
  '~',
  '%',
  '"',
  "'",
] as const

/**
 * Names that must be refused. NUL cannot travel in argv (the kernel ends the string there), so it is only in
 * config YAML cases.
 */
export function invalidNames(seed = 6): Array<BadCase> {
  const table: Array<BadCase> = [
    { label: 'empty', value: '' },
    { label: 'a space', value: ' ' },
    { label: 'whitespace around', value: ' feature ' },
    { label: 'a tab', value: '\tfeature' },
    { label: 'upper case', value: 'Feature' },
    { label: 'all upper case', value: 'FEATURE-X' },
    { label: 'unicode letters', value: 'café' },
    { label: 'a Cyrillic homoglyph', value: 'fеature' },
    { label: 'CJK', value: '機能' },
    { label: 'emoji', value: '🚀' },
    { label: 'emoji inside', value: 'ship-🚀-it' },
    { label: 'RTL text', value: 'שלום' },
    { label: 'RTL override', value: 'abc\u202eexe' },
    { label: 'zero-width space', value: 'fea\u200bture' },
    { label: 'control character', value: 'bell\u0007' },
    { label: 'ANSI escape', value: '\u001b[31mred' },
    { label: 'newline', value: 'two\nlines' },
    { label: '65 characters', value: 'a'.repeat(65) },
    { label: '300 characters', value: 'b'.repeat(300) },
    { label: '20 000 characters', value: 'c'.repeat(20_000) },
    { label: 'dot', value: '.' },
    { label: 'dot dot', value: '..' },
    { label: 'parent path', value: '../x' },
    { label: 'deep parent path', value: '../../../../etc/passwd' },
    { label: 'absolute path', value: '/abs' },
    { label: 'absolute tmp path', value: '/tmp/nexus-escape' },
    { label: 'nested path', value: 'a/b' },
    { label: 'backslash path', value: 'a\\b' },
    { label: 'trailing dot dot', value: 'x/..' },
    { label: 'leading dash', value: '-leading' },
    { label: 'double leading dash', value: '--x' },
    { label: 'trailing dash', value: 'trailing-' },
    { label: 'underscore', value: 'a_b' },
    { label: 'dot inside', value: 'a.b' },
    { label: 'git ref syntax', value: 'a@{1}' },
    { label: 'lock suffix', value: 'x.lock' },
    { label: 'shell substitution', value: '$(id)' },
    { label: 'backticks', value: '`id`' },
    { label: 'semicolon', value: 'a;rm' },
    { label: 'glob', value: '*' },
    { label: 'home', value: '~' },
    { label: 'percent escape', value: '%2e%2e' },
    { label: 'quote', value: 'a"b' },
  ]
  const random = seededRandom(seed)
  const bases = ['feature-x', 'api', 'a1', 'fix-login-bug']
  for (let index = 0; index < 12; index++) {
    const base = pick(random, bases)
    const at = Math.floor(random() * (base.length + 1))
    const character = pick(random, FORBIDDEN_CHARACTERS)
    const value = `${base.slice(0, at)}${character}${base.slice(at)}`
    table.push({ label: `mutation ${index}: ${JSON.stringify(value)}`, value })
  }
  return table
}

export const RESERVED_WORDS = ['current', 'all', 'list', 'default', 'none'] as const

/** `--port` values that are not a mapping nexus can publish. */
export const INVALID_PORT_SPECS: ReadonlyArray<BadCase> = [
  { label: 'privileged host port', value: 'web=80:80' },
  { label: 'port zero', value: 'web=0' },
  { label: 'port above 65535', value: 'web=70000' },
  { label: 'host port above 65535', value: 'web=3000:70000' },
  { label: 'host port zero', value: 'web=3000:0' },
  { label: 'letters', value: 'web=abc' },
  { label: 'no name', value: '=3000' },
  { label: 'empty host part', value: 'web=3000:' },
  { label: 'negative', value: 'web=-1' },
  { label: 'no value', value: 'web=' },
  { label: 'no equals sign', value: 'web' },
  { label: 'only a number', value: '3000' },
  { label: 'empty', value: '' },
  { label: 'upper-case name', value: 'WEB=3000' },
  { label: 'unicode name', value: 'wéb=3000' },
  { label: 'path name', value: '../web=3000' },
  { label: 'reserved name ssh', value: 'ssh=22' },
  { label: 'fraction', value: 'web=30.5' },
  { label: 'exponent', value: 'web=3e3' },
  { label: 'hex', value: 'web=0x50' },
  { label: 'six digits', value: 'web=300000' },
  { label: 'three parts', value: 'web=1:2:3' },
  { label: 'a range', value: 'web=3000-3010' },
  { label: 'IP prefix', value: 'web=0.0.0.0:3000:3000' },
  { label: 'protocol suffix', value: 'web=3000/udp' },
  { label: 'name of 40 characters', value: `${'p'.repeat(40)}=3000` },
]

/** Values for flags that want a positive number (`--cpu`, `--memory`, `--disk`). */
export const INVALID_POSITIVE_NUMBERS: ReadonlyArray<BadCase> = [
  { label: 'zero', value: '0' },
  { label: 'negative', value: '-1' },
  { label: 'letters', value: 'abc' },
  { label: 'overflowing to infinity', value: '1e309' },
  { label: 'Infinity', value: 'Infinity' },
  { label: 'NaN', value: 'NaN' },
  { label: 'empty', value: '' },
  { label: 'whitespace', value: '  ' },
  { label: 'negative zero', value: '-0' },
  { label: 'unit suffix', value: '2g' },
]

/** Values for flags that want a whole number of 0 or more (`--auto-stop`). */
export const INVALID_WHOLE_NUMBERS: ReadonlyArray<BadCase> = [
  { label: 'negative', value: '-1' },
  { label: 'fraction', value: '1.5' },
  { label: 'letters', value: 'never' },
  { label: 'exponent', value: '1e3' },
  { label: 'empty', value: '' },
]

/** One config key with values of the wrong type, as YAML text for the value. */
export interface WrongTypeCase {
  keyPath: string
  yamlValues: readonly string[]
}

/** For each config key: values YAML parses to a type (or a value) the schema refuses. */
export const WRONG_CONFIG_TYPES: ReadonlyArray<WrongTypeCase> = [
  { keyPath: 'version', yamlValues: ['3', '"1.5"', '[2]'] },
  { keyPath: 'defaults.backend', yamlValues: ['""', '42', '[docker]', '{x: 1}'] },
  { keyPath: 'defaults.resources', yamlValues: ['huge', '2', 'null'] },
  { keyPath: 'defaults', yamlValues: ['docker', '[a]'] },
  { keyPath: 'backends', yamlValues: ['docker', '[docker]'] },
  { keyPath: 'backends.docker', yamlValues: ['yes', '[1]'] },
  {
    keyPath: 'ports.web',
    yamlValues: ['3000', '{container: 0}', '{container: 70000}', '{container: "abc"}'],
  },
  { keyPath: 'ports.web.host', yamlValues: ['80', '70000', '1.5'] },
  { keyPath: 'env', yamlValues: ['[A=1]', 'text'] },
  { keyPath: 'env.API_TOKEN', yamlValues: ['[a]', '{nested: 1}', 'null'] },
  { keyPath: 'env_files', yamlValues: ['.env', '[""]', '[1, 2]'] },
  { keyPath: 'services.db', yamlValues: ['postgres', '{ports: [5432]}', '{image: ""}'] },
  { keyPath: 'services.db.ports', yamlValues: ['[0]', '["a:b"]', '5432'] },
  { keyPath: 'ssh.forward_agent', yamlValues: ['"maybe"', '2'] },
  { keyPath: 'ssh.injection.include_agent_keys', yamlValues: ['"yes please"'] },
  { keyPath: 'exec.transport', yamlValues: ['telnet', 'true'] },
  { keyPath: 'switch.previous', yamlValues: ['destroy', '1'] },
  { keyPath: 'lifecycle.stop_grace_seconds', yamlValues: ['-1', 'ten', '[10]'] },
  { keyPath: 'ports_range', yamlValues: ['{start: 80, end: 90}', '{start: 40000, end: 30000}', '"1-2"'] },
]

/** The YAML text of a file that sets `keyPath` to the (YAML) value, nesting the dotted segments. */
export function yamlAt(keyPath: string, yamlValue: string): string {
  const segments = keyPath.split('.')
  return segments
    .map(
      (segment, depth) =>
        `${'  '.repeat(depth)}${segment}:${depth === segments.length - 1 ? ` ${yamlValue}` : ''}`,
    )
    .join('\n')
    .concat('\n')
}

/** A billion-laughs document: each alias level multiplies the expansion tenfold. */
export function aliasBomb(levels = 9): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
  for (let level = 1; level <= levels; level++) {
    const refs = Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')
    lines.push(`a${level}: &a${level} [${refs}]`)
  }
  return `${lines.join('\n')}\n`
}

/** Whole config files that are not a valid config, beyond one wrong type: structure, encoding, size, YAML tricks. */
export function malformedConfigFiles(): Array<BadCase<string | Buffer>> {
  const nested = Array.from({ length: 200 }, (_, depth) => `${'  '.repeat(depth)}k${depth}:`).join('\n')
  return [
    { label: 'an unknown top-level key', value: 'colour: blue\n' },
    { label: 'a typo in a known section', value: 'defaults:\n  backnd: docker\n' },
    { label: 'an unknown key in a service', value: 'services:\n  db:\n    image: x\n    imagee: y\n' },
    { label: 'a version 1 leftover key', value: 'version: "2"\nprovider: docker\n' },
    { label: 'a 1 MB string value', value: `defaults:\n  resources: ${'x'.repeat(1024 * 1024)}\n` },
    { label: 'a 1 MB key', value: `${'k'.repeat(1024 * 1024)}: 1\n` },
    { label: 'deeply nested mappings', value: `${nested} 1\n` },
    { label: 'deeply nested flow sequences', value: `env_files: ${'['.repeat(500)}${']'.repeat(500)}\n` },
    { label: 'tab indentation', value: 'defaults:\n\tbackend: docker\n' },
    { label: 'duplicate keys', value: 'defaults:\n  backend: docker\n  backend: mock\n' },
    { label: 'duplicate top-level sections', value: 'defaults: {}\ndefaults: {}\n' },
    { label: 'a !!binary value', value: 'defaults:\n  resources: !!binary c21hbGw=\n' },
    { label: 'an unknown tag', value: 'defaults:\n  resources: !shell "id"\n' },
    { label: 'a JavaScript function tag', value: 'defaults:\n  resources: !!js/function "function(){}"\n' },
    { label: 'a billion-laughs alias bomb', value: aliasBomb() },
    { label: 'a merge key', value: 'base: &b {x: 1}\nm: {<<: *b}\n' },
    { label: 'a top-level list', value: '- defaults\n- backend\n' },
    { label: 'a top-level string', value: 'just text\n' },
    { label: 'a top-level number', value: '42\n' },
    { label: 'several documents', value: 'defaults: {}\n---\ndefaults: {}\n' },
    { label: 'an unclosed quote', value: 'defaults:\n  backend: "docker\n' },
    { label: 'an unclosed flow mapping', value: 'defaults: {backend: docker\n' },
    { label: 'NUL bytes', value: 'defaults:\n  resources: "sm\u0000all"\n' },
    { label: 'a raw NUL in a key', value: 'def\u0000aults: {}\n' },
    {
      label: 'non-UTF-8 bytes',
      value: Buffer.from([0x64, 0x65, 0x66, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]),
    },
    {
      label: 'a UTF-16 file',
      value: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('colour: x\n', 'utf16le')]),
    },
    { label: 'a port name with ../', value: 'ports:\n  ../web:\n    container: 3000\n' },
    { label: 'a port name with a space', value: 'ports:\n  my web:\n    container: 3000\n' },
    { label: 'a service name with ../', value: 'services:\n  ../db:\n    image: postgres\n' },
    { label: 'a service name with a slash', value: 'services:\n  a/b:\n    image: postgres\n' },
    { label: 'a second document after ---', value: 'defaults:\n  resources: small\n---\ncolour: blue\n' },
    { label: 'an env variable name with a path', value: 'env:\n  ../X: "1"\n' },
    { label: 'an env variable name with unicode', value: 'env:\n  TÖKEN: "1"\n' },
    { label: 'an empty env file path', value: 'env_files: [""]\n' },
  ]
}
