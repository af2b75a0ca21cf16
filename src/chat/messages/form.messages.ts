// The sentences of forms (chat/form.ts) on every front end: field errors, the shell's
// questions, refusals of forged or stale submissions. English and Chinese side by side.
import type { Messages } from '../i18n.ts';

export const FORM_MESSAGES = {
  'form.fieldError': (p: { label: string; problem: string }) => ({
    en: `${p.label}: ${p.problem}`,
    'zh-CN': `${p.label}：${p.problem}`,
  }),
  'form.required': { en: 'this is required', 'zh-CN': '必填' },
  'form.tooLong': (p: { max: number }) => ({
    en: `at most ${p.max} characters`,
    'zh-CN': `最多 ${p.max} 个字符`,
  }),
  'form.controlChars': { en: 'contains control characters; type it as plain text', 'zh-CN': '含有控制字符，请以纯文本输入' },
  'form.notNumber': { en: 'not a number', 'zh-CN': '不是数字' },
  'form.range': (p: { range: string }) => ({
    en: `must be within ${p.range}`,
    'zh-CN': `必须在 ${p.range} 之间`,
  }),
  'form.notDate': { en: 'not a date (YYYY-MM-DD)', 'zh-CN': '不是日期（YYYY-MM-DD）' },
  'form.notDateTime': { en: 'not a date and time (YYYY-MM-DD HH:mm)', 'zh-CN': '不是日期时间（YYYY-MM-DD HH:mm）' },
  'form.unknownChoice': (p: { value: string }) => ({
    en: `“${p.value}” is not one of the choices`,
    'zh-CN': `“${p.value}”不在可选项中`,
  }),
  'form.unknownPerson': (p: { value: string }) => ({
    en: `nobody in the org is “${p.value}”`,
    'zh-CN': `组织里没有“${p.value}”`,
  }),
  'form.notYesNo': { en: 'answer yes or no', 'zh-CN': '请回答 是 或 否' },
  'form.notText': { en: 'not text', 'zh-CN': '不是文本' },
  'form.yes': { en: 'yes', 'zh-CN': '是' },
  'form.no': { en: 'no', 'zh-CN': '否' },
  'form.fix': { en: 'Please correct the fields marked below.', 'zh-CN': '请修改下面标出的内容。' },
  'form.cancelled': { en: 'Form cancelled; nothing was saved.', 'zh-CN': '已取消，没有保存任何内容。' },
  'form.shellHelp': {
    en: 'One answer a line; Enter keeps the [default]; :back goes to the previous field, :cancel leaves the form.',
    'zh-CN': '每行回答一项；直接回车保留[默认值]；:back 返回上一项，:cancel 取消。',
  },
  'form.optional': { en: 'optional', 'zh-CN': '选填' },
  'form.chooseHint': { en: 'a number or the name; several: separate with commas', 'zh-CN': '输入序号或名称；多选用逗号分隔' },
  'form.open': { en: 'Open the form', 'zh-CN': '打开表单' },
  'form.customerPick': { en: 'Choose one of yours', 'zh-CN': '从你的客户中选择' },
  'form.customerType': { en: 'or type a name, pinyin or initials', 'zh-CN': '或输入名称、拼音或首字母' },
  'form.opened': (p: { title: string }) => ({
    en: `Fill in the form: ${p.title}`,
    'zh-CN': `请填写表单：${p.title}`,
  }),
  'home.claimForm': { en: 'Claim a customer', 'zh-CN': '认领客户' },
  'home.logForm': { en: 'Log a follow-up', 'zh-CN': '记录跟进' },
  'form.cancel': { en: 'Cancel', 'zh-CN': '取消' },
  'form.close': { en: 'Close', 'zh-CN': '关闭' },
  'form.done': { en: 'Submitted', 'zh-CN': '已提交' },
  'form.forged': { en: 'That form was not sent by kehu, or it was changed on the way; nothing was saved. Please start again.', 'zh-CN': '这个表单不是 kehu 发出的，或在传送中被改动过；没有保存任何内容。请重新开始。' },
  'form.stale': { en: 'That form has expired; nothing was saved. Please open it again.', 'zh-CN': '这个表单已过期，没有保存任何内容。请重新打开。' },
  'form.notYours': { en: 'That form was opened for someone else; nothing was saved. Open your own with the command.', 'zh-CN': '这个表单是为别人打开的，没有保存任何内容。请用命令打开你自己的表单。' },
  'form.alreadySubmitted': { en: 'That form was already submitted; nothing more was saved.', 'zh-CN': '这个表单已经提交过了，没有再保存。' },
  'form.customerNone': (p: { query: string }) => ({
    en: `no customer matches “${p.query}”`,
    'zh-CN': `没有与“${p.query}”匹配的客户`,
  }),
  'form.customerMany': (p: { names: string }) => ({
    en: `several customers match: ${p.names}; type the full name`,
    'zh-CN': `匹配到多个客户：${p.names}；请输入全称`,
  }),
} satisfies Messages;
