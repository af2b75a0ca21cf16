// The service-requests capability's sentences (request, promise), English and Chinese side by side per key.
import type { Messages } from '../i18n.ts';

export const REQUEST_MESSAGES = {
  'cmd.request': { en: 'ask a functional department (admin, finance, legal, support) for a service: its prerequisites first', 'zh-CN': '向职能部门（行政、财务、法务、技术支持）提出服务请求：先看需要准备什么' },
  'cmd.promise': { en: 'check a date you want to promise a customer against the service’s real lead time in working days', 'zh-CN': '按服务的标准工期（工作日）核对你想向客户承诺的日期' },
  'request.catalog': { en: 'Services you can ask for', 'zh-CN': '可以申请的服务' },
  'request.none': { en: 'The service catalog has no services yet: ask an admin to set KEHU_CATALOG_FILE.', 'zh-CN': '服务目录里还没有服务：请管理员设置 KEHU_CATALOG_FILE。' },
  'request.pickHint': { en: 'Type `request <service>` (or press a button) to see what it needs.', 'zh-CN': '输入 `请求 <服务>`（或点按钮）查看需要准备什么。' },
  'request.unknown': (p: { service: string; known: string }) => ({
    en: `There is no service "${p.service}". Services: ${p.known}.`,
    'zh-CN': `没有“${p.service}”这项服务。可申请的服务：${p.known}。`,
  }),
  'request.serviceLine': (p: { name: string; key: string; lead: number; resolution: string }) => ({
    en: `${p.name} (\`${p.key}\`) — done within ${p.resolution}; lead time ${p.lead} working day${p.lead === 1 ? '' : 's'}`,
    'zh-CN': `${p.name}（\`${p.key}\`）— ${p.resolution}内办结；标准工期 ${p.lead} 个工作日`,
  }),
  'request.prerequisites': (p: { name: string }) => ({
    en: `${p.name}: before you ask, have these ready`,
    'zh-CN': `${p.name}：申请前请先准备好`,
  }),
  'request.noPrerequisites': (p: { name: string }) => ({ en: `${p.name}: nothing to prepare beforehand.`, 'zh-CN': `${p.name}：无需事先准备。` }),
  'request.formFields': (p: { fields: string }) => ({ en: `The form asks for: ${p.fields}.`, 'zh-CN': `表单需要填写：${p.fields}。` }),
  'request.approval': { en: 'Your manager approves it before the department sees it.', 'zh-CN': '需要你的上级先审批，部门才会受理。' },
  'request.targets': (p: { department: string; response: string; resolution: string }) => ({
    en: `${p.department} answers within ${p.response} and resolves within ${p.resolution} (working time).`,
    'zh-CN': `${p.department}在${p.response}内响应，${p.resolution}内办结（按工作时间计）。`,
  }),
  'duration.hours': (p: { n: number }) => ({ en: `${p.n} working hour${p.n === 1 ? '' : 's'}`, 'zh-CN': `${p.n} 个工作小时` }),
  'duration.days': (p: { n: number }) => ({ en: `${p.n} working day${p.n === 1 ? '' : 's'}`, 'zh-CN': `${p.n} 个工作日` }),
  'btn.requestService': (p: { name: string }) => ({ en: p.name, 'zh-CN': p.name }),
  'promise.badDate': { en: 'The date must look like 2026-10-09', 'zh-CN': '日期格式应为 2026-10-09' },
  'promise.past': (p: { date: string }) => ({ en: `${p.date} is in the past.`, 'zh-CN': `${p.date} 已经过去了。` }),
  'promise.ok': (p: { service: string; date: string; earliest: string; lead: number }) => ({
    en: `${p.date} is realistic: ${p.service} needs ${p.lead} working day${p.lead === 1 ? '' : 's'}, so the earliest is ${p.earliest}.`,
    'zh-CN': `${p.date} 可以承诺：${p.service}需要 ${p.lead} 个工作日，最早 ${p.earliest}。`,
  }),
  'promise.tooEarly': (p: { service: string; date: string; earliest: string; lead: number }) => ({
    en: `${p.date} is too early: ${p.service} needs ${p.lead} working day${p.lead === 1 ? '' : 's'}. The earliest realistic date is ${p.earliest}.`,
    'zh-CN': `${p.date} 来不及：${p.service}需要 ${p.lead} 个工作日。最早可承诺的日期是 ${p.earliest}。`,
  }),
  'promise.holidays': (p: { holidays: string }) => ({ en: `Holiday in between: ${p.holidays}.`, 'zh-CN': `期间有法定假日：${p.holidays}。` }),
  'promise.unknownYear': (p: { years: string }) => ({
    en: `The holiday calendar has no data for ${p.years} yet: only weekends are skipped there.`,
    'zh-CN': `节假日日历尚无 ${p.years} 年的数据：该年只跳过周末。`,
  }),
} satisfies Messages;
