import { z } from 'zod'

/** a database row id as the contract accepts it */
export const id = z.number().int().positive().max(2_147_483_647)
/** a method without arguments */
export const none = z.tuple([])
