/**
 * The only place that loads `@fly/sprites`. Everything else imports its types (erased at build), so the hook, the
 * commands and `nexus --help` never pay for the SDK: it is imported the first time a provider method needs it.
 */
export type SpritesSdk = typeof import('@fly/sprites')

let loaded: Promise<SpritesSdk> | undefined

export function loadSpritesSdk(): Promise<SpritesSdk> {
  return (loaded ??= import('@fly/sprites'))
}
