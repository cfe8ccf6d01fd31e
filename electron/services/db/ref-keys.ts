/**
 * ref_cache keys more than one module needs: the database's recovery report names what it found
 * under them, and the services own their values.
 */

/** The supervisor password's salted hash (calllog/supervisor). */
export const SUPERVISOR_HASH_KEY = 'supervisor.passwordHash'
