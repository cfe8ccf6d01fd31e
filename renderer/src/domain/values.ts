// The zod-free shared values, for the screens (see shared/values.ts for why).
export { MOBILE_RE, maskPhone, pauseReasons } from '../../../shared/values'
