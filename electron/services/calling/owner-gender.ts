/** 1 男, 2 女, 0 unknown: what a call list's 李先生 / 王女士 says about the owner */
export function genderFromOwnerName(ownerName: string): 0 | 1 | 2 {
  if (/(先生|男士)$/.test(ownerName)) return 1
  if (/(女士|小姐|太太)$/.test(ownerName)) return 2
  return 0
}
