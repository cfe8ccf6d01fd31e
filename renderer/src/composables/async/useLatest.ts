/** true while the request it was handed to is still the latest one */
export type Ticket = () => boolean

/**
 * Ignoring stale answers: each `next()` starts a request and makes every earlier one stale, so a
 * late answer to an older request is dropped instead of overwriting a newer one.
 */
export function useLatest() {
  let seq = 0
  const ticket =
    (mine: number): Ticket =>
    () =>
      mine === seq
  return {
    /** a new request: every earlier ticket goes stale */
    next: (): Ticket => ticket(++seq),
    /** the ticket of the request in force (a retry that belongs to it) */
    current: (): Ticket => ticket(seq),
    /** every request so far goes stale (the screen closed, the subject changed) */
    drop: (): void => {
      seq++
    },
  }
}
