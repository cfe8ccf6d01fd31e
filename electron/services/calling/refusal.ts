/**
 * Callback items that mean the person refused further calls: saving one puts the number on the
 * 勿扰 list exactly as the 勿扰 button does, so a refused person is never called again.
 */
const REFUSAL = /勿扰|拒绝|拒访|不要再打|别再打/

export function isRefusal(callbackItem: string): boolean {
  return REFUSAL.test(callbackItem)
}
