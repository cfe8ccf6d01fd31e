// The Data Center double's public face: the server definition, its roster and the state it reports.
export {
  createDataCenterServerDef,
  MAX_BODY_BYTES,
  type DataCenterCredentials,
  type DataCenterServerOptions,
} from './server'
export { consultantGuid, createRoster, OFFICE_ONLY_CODE, type DcConsultant } from './roster'
export type { DataCenterState, DcCustomer, DcFollowUp, DcLead, DcOpportunity } from './state'
