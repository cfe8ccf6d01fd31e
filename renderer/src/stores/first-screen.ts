import type { RememberedLogin, SessionInfo } from '../../../shared/domain'
import type { Settings } from '../../../shared/settings'
import { useApi } from '../api'

interface FirstScreen {
  current: Promise<SessionInfo | null>
  remembered: Promise<RememberedLogin | null>
  settings: Promise<Settings>
}

let early: Partial<FirstScreen> = {}

/**
 * Asks main for what the first screen needs (the session, the remembered login, the settings)
 * before the rest of the app is evaluated, so the answers travel while Vue and the screens are
 * set up instead of after: the login form is interactive one round trip sooner. Called once, by
 * main.ts's first import; each answer is taken once, later asks go to main as usual.
 */
export function askFirstScreen(): void {
  const api = useApi()
  early = {
    current: api.session.current(),
    remembered: api.session.remembered(),
    settings: api.settings.get(),
  }
  // a failure is the taker's to handle; until then it must not count as unhandled
  for (const p of Object.values(early)) p.catch(() => undefined)
}

/** The early answer to `key` if there is one not yet taken, else a fresh ask. */
export function firstScreen<K extends keyof FirstScreen>(
  key: K,
  ask: () => FirstScreen[K],
): FirstScreen[K] {
  const answer = early[key]
  if (!answer) return ask()
  delete early[key]
  return answer as FirstScreen[K]
}
