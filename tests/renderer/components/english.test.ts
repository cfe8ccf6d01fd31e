import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import OutboxItemRow from '../../../renderer/src/components/sync/OutboxItemRow.vue'
import ExportColumns from '../../../renderer/src/components/calllog/ExportColumns.vue'
import ProfilePanel from '../../../renderer/src/components/workspace/ProfilePanel.vue'
import { useNoticeText } from '../../../renderer/src/composables/i18n/useNoticeText'
import { listText } from '../../../renderer/src/domain/values'
import { createAppI18n } from '../../../renderer/src/i18n'
import type { Notice } from '../../../renderer/src/stores/notice'
import { useProfileStore } from '../../../renderer/src/stores/profile'
import { section } from '../support/fake-api'
import { flushPromises, mountWith, setup, type Setup } from '../support/mount'
import { item } from '../support/outbox'

/** A component that words these notices as the screens do, one <p> each. */
function sayProbe(...notices: Notice[]) {
  return defineComponent({
    setup() {
      const say = useNoticeText()
      return () =>
        h(
          'div',
          notices.map((n) => h('p', say(n))),
        )
    },
  })
}

/** The English UI: what main sends in Chinese is shown in English too. */

let s: Setup
beforeEach(() => {
  s = setup()
})
const english = (extra: object = {}) => ({
  global: { plugins: [s.pinia, createAppI18n('en-US'), s.router] },
  ...extra,
})

describe('the English UI', () => {
  it('titles outbox items in English, and says “1 attempt”, “2 attempts”', async () => {
    const one = await mountWith(
      OutboxItemRow,
      s,
      english({
        props: {
          item: item('a', 'pending', { title: '保存反馈「无人接听」· 李先生 159****7900' }),
        },
      }),
    )
    expect(one.find('.title').text()).toBe('Call result · 李先生 159****7900')
    expect(one.text()).toContain('1 attempt')
    expect(one.text()).not.toContain('1 attempts')
    const two = await mountWith(
      OutboxItemRow,
      s,
      english({ props: { item: item('b', 'pending', { attempts: 2 }) } }),
    )
    expect(two.text()).toContain('2 attempts')
  })

  it('words a failed item’s reason from main by its code', async () => {
    const failed = item('c', 'failed', {
      lastError: { kind: 'remote', message: '置业外呼服务：传入数据错误', code: 'bad-data' },
    })
    const row = await mountWith(OutboxItemRow, s, english({ props: { item: failed } }))
    expect(row.find('[data-test=outbox-error]').text()).toBe('The server refused the data sent')
    const zh = await mountWith(OutboxItemRow, s, { props: { item: failed } })
    expect(zh.find('[data-test=outbox-error]').text()).toBe('置业外呼服务：传入数据错误')
  })

  it('names the 360 sections and the export columns in English', async () => {
    const w = await mountWith(ProfilePanel, s, english())
    await useProfileStore().load('15920447900', 141)
    await flushPromises()
    const titles = w.findAll('[data-test=profile-section] h3').map((h3) => h3.text())
    expect(titles).not.toContain('数据中心档案')
    expect(titles.join(' ')).not.toMatch(/[\u4e00-\u9fff]/)
    const cols = await mountWith(ExportColumns, s, english({ props: { modelValue: ['phone'] } }))
    expect(cols.find('[data-column=phone]').text()).toBe('Phone (电话)')
  })

  it('shows main’s Chinese errors after their kind in English; Chinese as it is', async () => {
    const Probe = sayProbe({ text: '置业外呼服务：无法连接服务器', kind: 'network' })
    const en = await mountWith(Probe, s, english())
    expect(en.text()).toBe('Network problem — 置业外呼服务：无法连接服务器')
    // with the system it concerns, a transport problem is worded in English alone
    const Known = sayProbe({
      text: '置业外呼服务：无法连接服务器',
      kind: 'network',
      system: 'weixin',
    })
    expect((await mountWith(Known, s, english())).text()).toBe('Network problem · Call service')
    const zh = await mountWith(Probe, s)
    expect(zh.text()).toBe('置业外呼服务：无法连接服务器')
  })
  it('words main’s errors by their code in English, with the values main sends; Chinese as it is', async () => {
    const refused = {
      text: '现在不在允许的外呼时段（09:00-12:00、14:00-20:00），12/02 14:00 起可拨打',
      kind: 'dial-refused' as const,
      code: 'hours',
      params: { windows: '09:00-12:00, 14:00-20:00', opens: '12/02 14:00' },
    }
    const exhausted = {
      text: '此信息包已经 call 完',
      kind: 'remote' as const,
      code: 'package-exhausted',
    }
    const Probe = sayProbe(refused, exhausted)
    const en = await mountWith(Probe, s, english())
    const [hours, done] = en.findAll('p').map((p) => p.text())
    expect(hours).toBe(
      'Outside the calling hours (09:00-12:00, 14:00-20:00); calling opens at 12/02 14:00',
    )
    expect(done).toBe('This package has been called through')
    const zh = await mountWith(Probe, s)
    expect(zh.findAll('p').map((p) => p.text())).toEqual([refused.text, exhausted.text])
  })
})

describe('tag values', () => {
  it('are listed with 、, not ASCII commas', () => {
    expect(listText('保利天汇,万科城， 龙湖')).toBe('保利天汇、万科城、龙湖')
    expect(listText('天河')).toBe('天河')
  })

  it('show that way in the 360 panel', async () => {
    s.fake.answer('customer', 'profileCdp', {
      ...section('cdp'),
      fields: [{ label: '近3个月到访楼盘', value: '保利天汇,万科城' }],
    })
    const w = await mountWith(ProfilePanel, s)
    await useProfileStore().load('15920447900', 141)
    await flushPromises()
    expect(w.find('[data-system=cdp] dd').text()).toBe('保利天汇、万科城')
    expect(w.find('[data-test=strong-signal]').text()).toBe('保利天汇、万科城')
  })
})

describe('the 360 panel in English', () => {
  it('glosses main’s labels, fixed values and Rabbitpre’s units', async () => {
    s.fake.answer('customer', 'profileRabbitpre', {
      ...section('rabbitpre'),
      fields: [
        { label: '性别', value: '男' },
        { label: '最近活跃', value: '2026-11-13 13:47（18 天前）' },
        { label: '活跃度', value: '总 321 · 7 天 16 · 30 天 64' },
      ],
    })
    const w = await mountWith(ProfilePanel, s, english())
    await useProfileStore().load('15920447900', 141)
    await flushPromises()
    const lines = w
      .findAll('[data-system=rabbitpre] dt')
      .map((dt, i) => [dt.text(), w.findAll('[data-system=rabbitpre] dd')[i]!.text()])
    expect(lines).toEqual([
      ['Gender', 'Male'],
      ['Last active', '2026-11-13 13:47 (18 days ago)'],
      ['Activity', 'total 321 · 7 days 16 · 30 days 64'],
    ])
  })
})
