/** Training mode's words (the banner, the call log's mark, the sync panel's waiting items). */
export const training = {
  'zh-CN': {
    trainingBanner: '培训模式：本机呼叫不会提交到正式系统',
    trainingBannerDetail: '连接的是培训沙箱，保存的反馈和客户只用于练习',
    trainingTag: '培训',
    waitsTraining: '培训记录：切回培训模式后发送，不会提交到正式系统',
    waitsProduction: '正式记录：切回正式系统后发送',
  },
  'en-US': {
    trainingBanner: 'Training mode: calls on this machine never reach the real system',
    trainingBannerDetail:
      'Connected to the training sandbox; saved results and customers are for practice only',
    trainingTag: 'Training',
    waitsTraining: 'Training record: sent once back in training mode, never to the real system',
    waitsProduction: 'Real record: sent once back on the real system',
  },
}
