/**
 * English for the labels (and the few fixed values) main gives the 360 panel's lines: the Data
 * Center record (customer-service.ts), the CDP tags (core/enrichment/cdp.ts), Rabbitpre
 * (rabbitpre-display.ts) and Miaosuan (miaosuan.ts). The Chinese UI shows main's words as they
 * are. tests/renderer/i18n-keys.test.ts checks every label main's sources use is here.
 */
export const fieldLabelsEn: Record<string, string> = {
  // Data Center
  姓名: 'Name',
  性别: 'Gender',
  出生日期: 'Date of birth',
  客户类型: 'Customer type',
  备用电话: 'Other phone',
  居住地: 'Home',
  工作地: 'Work',
  身份: 'Role',
  // CDP
  近3个月到访楼盘: 'Visited (3 months)',
  近6个月到访楼盘: 'Visited (6 months)',
  意向区域: 'Intended area',
  意向楼盘: 'Intended project',
  可唤醒公客: 'Wakeable public lead',
  可唤醒线索: 'Wakeable lead',
  浏览广告: 'Saw an ad',
  预约时间: 'Booked visit',
  是否咨询: 'Asked for advice',
  其他楼盘业主: 'Owner elsewhere',
  跟进间隙客户行为: 'Activity between follow-ups',
  // Rabbitpre
  昵称: 'Nickname',
  城市: 'City',
  最近活跃: 'Last active',
  活跃度: 'Activity',
  传播力: 'Reach',
  来源渠道: 'Source channel',
  来源作品: 'Source page',
  关注公众号: 'Follows',
  备注: 'Notes',
  // Miaosuan
  装修进度: 'Renovation stage',
  总体状态: 'Overall status',
  客户意愿: 'Willingness',
  预算: 'Budget',
  小区: 'Community',
  地址: 'Address',
  来源: 'Source',
  跟进人: 'Followed by',
  合同: 'Contract',
  更新时间: 'Updated',
}

/** fixed values main writes beside those labels */
export const fieldValuesEn: Record<string, string> = {
  男: 'Male',
  女: 'Female',
  是: 'Yes',
  否: 'No',
  个人客户: 'Individual',
  公司客户: 'Company',
}

/** the units main's Rabbitpre lines are written with (rabbitpre-display.ts), in English */
export const valuePatternsEn: readonly (readonly [RegExp, string])[] = [
  [/（今天）/g, ' (today)'],
  [/（(\d+) 天前）/g, ' ($1 days ago)'],
  [/^总 (\d+)/, 'total $1'],
  [/(\d+) 天 (\d+)/g, '$1 days $2'],
]
