import { FIELD_MAX, fitRemoteText, truncationNote } from '../../../shared/fields'
import { MOBILE_RE } from '../../../shared/values'

/**
 * What a call sends of the values the servers gave us (the list's owner name, the project's
 * name), fitted to where they go: a value longer than our limits is cut by the one rule
 * (fitRemoteText) and never blocks the save; the call log says what was cut.
 */
export interface FittedCall {
  /** savecallback's owner_name: as dispensed (may be blank), cut to FIELD_MAX.ownerName */
  ownerName: string
  /** the Data Center's customerName, which may not be blank */
  customerName: string
  /** the Data Center's projName (§4.1.3: 50) */
  projectName: string
  /**
   * The Data Center keys a customer by mobile (cst_info_get / cstMobile): a landline, an
   * extension or a 400 number has no Data Center side.
   */
  reportsToDataCenter: boolean
  /** for the call log row: what was cut or not reported ('' when nothing) */
  note: string
}

/** The Data Center's customerName for a list entry without an owner name. */
export const UNNAMED_CUSTOMER = '未留姓名'

export function fitCall(phone: string, ownerName: string, projectName: string): FittedCall {
  const owner = fitRemoteText(ownerName, FIELD_MAX.ownerName)
  const project = fitRemoteText(projectName, FIELD_MAX.projectName)
  const reportsToDataCenter = MOBILE_RE.test(phone.trim())
  const notes = [
    truncationNote('客户称呼', owner, FIELD_MAX.ownerName),
    reportsToDataCenter ? truncationNote('项目名称', project, FIELD_MAX.projectName) : '',
    reportsToDataCenter ? '' : '〔非手机号码，未上报数据中心〕',
  ]
  return {
    ownerName: owner.value,
    customerName: owner.value === '' ? UNNAMED_CUSTOMER : owner.value,
    projectName: project.value,
    reportsToDataCenter,
    note: notes.join(''),
  }
}

/** The agent's notes with the system's note after them, for the call log. */
export function withNote(notes: string, note: string): string {
  if (note === '') return notes
  return notes === '' ? note : `${notes}\n${note}`
}
