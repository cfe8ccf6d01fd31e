import { z } from 'zod'

/** The audience profile of rabbitpre-audience-detail.md, read leniently where that is harmless. */

/** null reads as absent; absent keys stay absent in the output */
const absent = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional()
const str = absent(z.union([z.string(), z.number()]).transform(String))
const int = absent(
  z.union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, '应为整数')
      .transform(Number),
  ]),
)
/** Free-form lists (addressList, userType, …) whose items the document leaves open. */
const looseList = absent(z.array(z.unknown()))

/**
 * {"count":数量,"updateTime":时间戳}. The document's own example carries placeholder objects
 * ({"waring": …}) here, so anything without a numeric count reads as absent.
 */
const activityCount = z
  .unknown()
  .transform((v): { count: number; updateTime?: number } | undefined => {
    if (typeof v !== 'object' || v === null) return undefined
    const o = v as Record<string, unknown>
    const count = typeof o.count === 'string' ? Number(o.count) : o.count
    if (typeof count !== 'number' || !Number.isFinite(count)) return undefined
    const updateTime = typeof o.updateTime === 'string' ? Number(o.updateTime) : o.updateTime
    return typeof updateTime === 'number' && Number.isFinite(updateTime)
      ? { count, updateTime }
      : { count }
  })
  .optional()

const sexSchema = absent(
  z
    .union([z.number(), z.string().trim().regex(/^\d$/).transform(Number)])
    .pipe(z.union([z.literal(0), z.literal(1), z.literal(2)])),
)

export const rabbitpreProfileSchema = z.object({
  orgId: str,
  /** documented as a timestamp, sent as yyyy-MM-dd HH:mm:ss in the example */
  createTime: str,
  audienceUserId: z.union([
    z.number().int(),
    z.string().trim().regex(/^\d+$/, '应为整数').transform(Number),
  ]),
  openids: absent(
    z.array(
      z.looseObject({
        openid: str,
        unionid: str,
        fromTo: str,
        appid: str,
        platform: str,
        jcappid: int,
        identityId: str,
        identityType: str,
      }),
    ),
  ),
  unionid: str,
  mpAppid: str,
  phoneList: absent(z.array(z.looseObject({ phone: str, isVerify: str }))),
  realName: str,
  sex: sexSchema,
  avatar: str,
  wxNickname: str,
  wxCountry: str,
  wxProvince: str,
  wxCity: str,
  province: str,
  city: str,
  lbsProvince: str,
  lbsCity: str,
  addressList: looseList,
  birthday: int,
  remark: str,
  lastActiveTime: int,
  gzhInteractTime: int,
  markFlag: int,
  userType: looseList,
  payFeature: str,
  industry: looseList,
  subWechatList: looseList,
  sourceAudid: int,
  sourceCnl: int,
  sourceCnlName: str,
  sourceCnlDeptId: int,
  sourceCnlDeptName: str,
  sourceCnlType: str,
  sourceAppType: str,
  active: int,
  weekActive: activityCount,
  monthActive: activityCount,
  spread: int,
  weekSpread: activityCount,
  monthSpread: activityCount,
  phone: str,
  wechatList: absent(
    z.array(
      z.looseObject({
        appid: str,
        wechatName: str,
        gzhInteractTime: int,
        firstSubDate: int,
        firstSubSourceCnlType: str,
        firstSubSourceCnl: int,
        firstSubSourceCnlDeptId: int,
        firstSubSourceTaskId: int,
      }),
    ),
  ),
  thirdId: str,
})
export type RabbitpreProfile = z.output<typeof rabbitpreProfileSchema>

/** null reads as absent; used by the client for the answer's data list too */
export { absent }
