import { MOBILE_RE } from '../../domain/values'

export interface CustomerForm {
  customerName: string
  phone: string
  gender: string
  customerType: string
  recommend: string
  followContent: string
}
export type CustomerField = keyof CustomerForm

/** the i18n key of each field's label: errors name the field the agent sees */
export const customerFieldLabels: Record<CustomerField, string> = {
  customerName: 'customer.name',
  phone: 'customer.phone',
  gender: 'customer.gender',
  customerType: 'customer.type',
  recommend: 'customer.recommend',
  followContent: 'customer.follow',
}

/** fields the agent picks from a list: their error says 请选择, not 请填写 */
export const chosenFields: ReadonlySet<CustomerField> = new Set(['gender', 'customerType'])

export type FieldProblem = { field: CustomerField; rule: 'required' | 'mobile' }

/** Every problem, in the form's order: the first gets the focus. */
export function validateCustomer(form: CustomerForm): FieldProblem[] {
  const problems: FieldProblem[] = []
  for (const field of Object.keys(customerFieldLabels) as CustomerField[]) {
    if (form[field].trim() === '') problems.push({ field, rule: 'required' })
    else if (field === 'phone' && !MOBILE_RE.test(form.phone.trim()))
      problems.push({ field, rule: 'mobile' })
  }
  return problems
}
