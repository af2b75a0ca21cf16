// The sentences every capability shares — roles, departments, help, whoami, errors, App
// Home, paging — in English and Chinese side by side, per key.
import type { Messages } from '../i18n.ts';

export const COMMON_MESSAGES = {
  'role.rep': { en: 'sales rep', 'zh-CN': '销售' },
  'role.manager': { en: 'manager', 'zh-CN': '经理' },
  'role.front-desk': { en: 'front desk', 'zh-CN': '前台' },
  'role.admin': { en: 'admin', 'zh-CN': '管理员' },
  'dept.sales': { en: 'sales', 'zh-CN': '销售部门' },
  'dept.function': { en: 'functional department', 'zh-CN': '职能部门' },
  'dept.front-desk': { en: 'front desk', 'zh-CN': '前台' },
  'cmd.help': { en: 'what you can do here; `help <command>` for one command', 'zh-CN': '查看你能做什么；`帮助 <命令>` 查看某个命令' },
  'cmd.whoami': { en: 'who you are in the org: department, manager, roles', 'zh-CN': '你在组织中的信息：部门、上级、角色' },
  'help.title': { en: 'kehu — what you can do', 'zh-CN': 'kehu — 你可以做什么' },
  'help.intro': (p: { name: string; roles: string }) => ({
    en: `Hello ${p.name} (${p.roles}). Type a command after /kehu:`,
    'zh-CN': `${p.name}，你好（${p.roles}）。在 /kehu 后输入命令：`,
  }),
  'help.footer': { en: 'Chinese works too: 帮助, 我是谁 … Commands are the same in Slack, Lark and the shell.', 'zh-CN': '英文命令同样可用：help、whoami … Slack、飞书和终端里的命令完全一样。' },
  'help.usage': (p: { usage: string }) => ({
    en: `Usage: ${p.usage}`,
    'zh-CN': `用法：${p.usage}`,
  }),
  'help.aliases': (p: { aliases: string }) => ({
    en: `Also: ${p.aliases}`,
    'zh-CN': `也可以用：${p.aliases}`,
  }),
  'whoami.title': (p: { name: string }) => ({
    en: `${p.name}`,
    'zh-CN': `${p.name}`,
  }),
  'field.name': { en: 'Name', 'zh-CN': '姓名' },
  'field.email': { en: 'Email', 'zh-CN': '邮箱' },
  'field.department': { en: 'Department', 'zh-CN': '部门' },
  'field.manager': { en: 'Manager', 'zh-CN': '上级' },
  'field.roles': { en: 'Roles', 'zh-CN': '角色' },
  'field.heads': { en: 'Heads', 'zh-CN': '负责部门' },
  'field.reports': { en: 'Reports', 'zh-CN': '下属' },
  'field.language': { en: 'Language', 'zh-CN': '语言' },
  'none': { en: '—', 'zh-CN': '—' },
  'err.unknownCommand': (p: { input: string }) => ({
    en: `I don't know the command "${p.input}".`,
    'zh-CN': `没有“${p.input}”这个命令。`,
  }),
  'err.didYouMean': (p: { suggestions: string }) => ({
    en: `Did you mean ${p.suggestions}?`,
    'zh-CN': `你是不是想输入 ${p.suggestions}？`,
  }),
  'err.seeHelp': { en: 'Type `/kehu help` to see what you can do.', 'zh-CN': '输入 `/kehu 帮助` 查看可用命令。' },
  'err.notInOrg': (p: { who: string }) => ({
    en: `I don't know you yet (${p.who}). Ask an admin to add you to the org file (KEHU_ORG_FILE) with your work email.`,
    'zh-CN': `我还不认识你（${p.who}）。请管理员用你的工作邮箱把你加入组织文件（KEHU_ORG_FILE）。`,
  }),
  'err.forbidden': (p: { action: string }) => ({
    en: `You are not allowed to ${p.action}.`,
    'zh-CN': `你没有权限${p.action}。`,
  }),
  'err.notFound': (p: { what: string }) => ({
    en: `I couldn't find ${p.what}.`,
    'zh-CN': `没有找到${p.what}。`,
  }),
  'err.invalid': (p: { problem: string; usage: string }) => ({
    en: `${p.problem} — usage: ${p.usage}`,
    'zh-CN': `${p.problem}——用法：${p.usage}`,
  }),
  'err.conflict': (p: { what: string }) => ({
    en: `That clashes with ${p.what}.`,
    'zh-CN': `与${p.what}冲突。`,
  }),
  'err.alreadyDone': { en: 'That has already been done; nothing changed.', 'zh-CN': '这件事已经处理过了，没有任何改动。' },
  'err.internal': (p: { ref: string }) => ({
    en: `Something went wrong on my side (ref ${p.ref}). Please try again; if it keeps happening, tell an admin the ref.`,
    'zh-CN': `我这边出了点问题（编号 ${p.ref}）。请再试一次；如果一直出现，请把编号告诉管理员。`,
  }),
  'err.databaseAway': {
    en: 'The database is not answering just now; nothing was changed. Please try again in a minute.',
    'zh-CN': '数据库暂时没有响应，没有做任何改动。请过一分钟再试。',
  },
  'err.unknownAction': { en: 'That button no longer does anything; the message may be out of date.', 'zh-CN': '这个按钮已经失效，消息可能已过期。' },
  'err.tooLong': (p: { max: number }) => ({
    en: `That is too long (at most ${p.max} characters).`,
    'zh-CN': `内容太长了（最多 ${p.max} 个字符）。`,
  }),
  'err.controlChars': { en: 'That contains control characters; please type it again as plain text.', 'zh-CN': '内容里有控制字符，请以纯文本重新输入。' },
  'err.commandTooLong': (p: { length: number; max: number }) => ({
    en: `That message is ${p.length} characters long; a command takes at most ${p.max}. Please shorten it and send it again.`,
    'zh-CN': `这条消息有 ${p.length} 个字符，一条命令最多 ${p.max} 个字符。请缩短后重新发送。`,
  }),
  'err.badArgs': { en: "That doesn't fit this command", 'zh-CN': '参数不对' },
  'err.fileNotSent': (p: { ref: string }) => ({
    en: `I couldn't send you the file (ref ${p.ref}). Please try again; if it keeps happening, tell an admin the ref.`,
    'zh-CN': `文件没能发送给你（编号 ${p.ref}）。请再试一次；如果一直出现，请把编号告诉管理员。`,
  }),
  'home.title': (p: { name: string }) => ({
    en: `Welcome, ${p.name}`,
    'zh-CN': `欢迎，${p.name}`,
  }),
  'home.you': { en: 'You', 'zh-CN': '你的信息' },
  'home.commands': { en: 'Commands you can use (type /kehu <command> anywhere, or DM me):', 'zh-CN': '你可以使用的命令（在任意位置输入 /kehu <命令>，或私信我）：' },
  'page.more': (p: { shown: string; total: number; next: string }) => ({
    en: `Showing ${p.shown} of ${p.total}. Next page: ${p.next}`,
    'zh-CN': `显示第 ${p.shown} 个，共 ${p.total} 个。下一页：${p.next}`,
  }),
  'never': { en: 'never', 'zh-CN': '从未' },
} satisfies Messages;
