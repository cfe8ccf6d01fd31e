// The zod-free shared values, for the screens (see shared/values.ts for why).
export { MOBILE_RE, maskPhone, pauseReasons } from '../../../shared/values'

/** A tag's several values (the CDP sends them comma-separated) as Chinese lists them: 、 */
export function listText(value: string): string {
  return value
    .split(/\s*[,，]\s*/)
    .filter((v) => v !== '')
    .join('、')
}
