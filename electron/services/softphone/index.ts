export { createSoftphone } from './create-softphone'
export { withDialRules } from './softphone-service'
