// The Data Center double's public face: the server definition and the state it reports.
export { createDataCenterServerDef, type DataCenterCredentials } from './server'
export type { DataCenterState, DcCustomer, DcFollowUp, DcLead, DcOpportunity } from './state'
