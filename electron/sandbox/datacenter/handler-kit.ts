import { specText } from './codes'
import type { SpecCommand, SpecRequest } from './requests'

/** What the command handlers (business.ts, opportunities.ts, base-data.ts) share. */

/** a business refusal: a §5 code and its text */
export class Refusal {
  readonly errmsg: string
  constructor(readonly code: number) {
    this.errmsg = specText(code)
  }
}

export type Handler<C extends SpecCommand> = (data: SpecRequest<C>) => Refusal | object
export type Handlers = { [C in SpecCommand]: Handler<C> }

export interface ProjectRow {
  projGUID: string
  projName: string
  parentGUID: string
  cityName: string
  status: number
  lastModifyTime: string
  ifEnd: number
  buGUID: string
  level: number
}

export function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}
