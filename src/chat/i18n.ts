// Every sentence the bot says, in zh-CN and en. Keys are typed: a message missing in one
// language is a type error. Pick the language with OrgDirectory.localeOf(person).
import type { Locale, Role } from '../core/org/org.ts';

const en = {
  'role.rep': 'sales rep',
  'role.manager': 'manager',
  'role.front-desk': 'front desk',
  'role.admin': 'admin',
  'dept.sales': 'sales',
  'dept.function': 'functional department',
  'dept.front-desk': 'front desk',
  'cmd.help': 'what you can do here; `help <command>` for one command',
  'cmd.whoami': 'who you are in the org: department, manager, roles',
  'help.title': 'kehu — what you can do',
  'help.intro': (p: { name: string; roles: string }) => `Hello ${p.name} (${p.roles}). Type a command after /kehu:`,
  'help.footer': 'Chinese works too: 帮助, 我是谁 … Commands are the same in Slack, Lark and the shell.',
  'help.usage': (p: { usage: string }) => `Usage: ${p.usage}`,
  'help.aliases': (p: { aliases: string }) => `Also: ${p.aliases}`,
  'whoami.title': (p: { name: string }) => `${p.name}`,
  'field.name': 'Name',
  'field.email': 'Email',
  'field.department': 'Department',
  'field.manager': 'Manager',
  'field.roles': 'Roles',
  'field.heads': 'Heads',
  'field.reports': 'Reports',
  'field.language': 'Language',
  'none': '—',
  'err.unknownCommand': (p: { input: string }) => `I don't know the command "${p.input}".`,
  'err.didYouMean': (p: { suggestions: string }) => `Did you mean ${p.suggestions}?`,
  'err.seeHelp': 'Type `/kehu help` to see what you can do.',
  'err.notInOrg': (p: { who: string }) =>
    `I don't know you yet (${p.who}). Ask an admin to add you to the org file (KEHU_ORG_FILE) with your work email.`,
  'err.forbidden': (p: { action: string }) => `You are not allowed to ${p.action}.`,
  'err.notFound': (p: { what: string }) => `I couldn't find ${p.what}.`,
  'err.invalid': (p: { problem: string; usage: string }) => `${p.problem} — usage: ${p.usage}`,
  'err.conflict': (p: { what: string }) => `That clashes with ${p.what}.`,
  'err.alreadyDone': 'That has already been done; nothing changed.',
  'err.internal': (p: { ref: string }) => `Something went wrong on my side (ref ${p.ref}). Please try again; if it keeps happening, tell an admin the ref.`,
  'err.unknownAction': 'That button no longer does anything; the message may be out of date.',
  'err.tooLong': (p: { max: number }) => `That is too long (at most ${p.max} characters).`,
  'err.controlChars': 'That contains control characters; please type it again as plain text.',
  'err.badArgs': "That doesn't fit this command",
  'home.title': (p: { name: string }) => `Welcome, ${p.name}`,
  'home.you': 'You',
  'home.commands': 'Commands you can use (type /kehu <command> anywhere, or DM me):',
} as const;

type Dictionary = { [K in keyof typeof en]: (typeof en)[K] extends string ? string : (typeof en)[K] };

const zh: Dictionary = {
  'role.rep': '销售',
  'role.manager': '经理',
  'role.front-desk': '前台',
  'role.admin': '管理员',
  'dept.sales': '销售部门',
  'dept.function': '职能部门',
  'dept.front-desk': '前台',
  'cmd.help': '查看你能做什么；`帮助 <命令>` 查看某个命令',
  'cmd.whoami': '你在组织中的信息：部门、上级、角色',
  'help.title': 'kehu — 你可以做什么',
  'help.intro': (p) => `${p.name}，你好（${p.roles}）。在 /kehu 后输入命令：`,
  'help.footer': '英文命令同样可用：help、whoami … Slack、飞书和终端里的命令完全一样。',
  'help.usage': (p) => `用法：${p.usage}`,
  'help.aliases': (p) => `也可以用：${p.aliases}`,
  'whoami.title': (p) => `${p.name}`,
  'field.name': '姓名',
  'field.email': '邮箱',
  'field.department': '部门',
  'field.manager': '上级',
  'field.roles': '角色',
  'field.heads': '负责部门',
  'field.reports': '下属',
  'field.language': '语言',
  'none': '—',
  'err.unknownCommand': (p) => `没有“${p.input}”这个命令。`,
  'err.didYouMean': (p) => `你是不是想输入 ${p.suggestions}？`,
  'err.seeHelp': '输入 `/kehu 帮助` 查看可用命令。',
  'err.notInOrg': (p) => `我还不认识你（${p.who}）。请管理员用你的工作邮箱把你加入组织文件（KEHU_ORG_FILE）。`,
  'err.forbidden': (p) => `你没有权限${p.action}。`,
  'err.notFound': (p) => `没有找到${p.what}。`,
  'err.invalid': (p) => `${p.problem}——用法：${p.usage}`,
  'err.conflict': (p) => `与${p.what}冲突。`,
  'err.alreadyDone': '这件事已经处理过了，没有任何改动。',
  'err.internal': (p) => `我这边出了点问题（编号 ${p.ref}）。请再试一次；如果一直出现，请把编号告诉管理员。`,
  'err.unknownAction': '这个按钮已经失效，消息可能已过期。',
  'err.tooLong': (p) => `内容太长了（最多 ${p.max} 个字符）。`,
  'err.controlChars': '内容里有控制字符，请以纯文本重新输入。',
  'err.badArgs': '参数不对',
  'home.title': (p) => `欢迎，${p.name}`,
  'home.you': '你的信息',
  'home.commands': '你可以使用的命令（在任意位置输入 /kehu <命令>，或私信我）：',
};

const dictionaries: Record<Locale, Dictionary> = { en: en as Dictionary, 'zh-CN': zh };

export type MessageKey = keyof Dictionary;
type ParamsOf<K extends MessageKey> = Dictionary[K] extends (p: infer P) => string ? [P] : [];

/** The sentence for `key` in `locale`. */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamsOf<K>): string {
  const entry = dictionaries[locale][key] as string | ((p: unknown) => string);
  return typeof entry === 'function' ? entry(params[0]) : entry;
}

export function roleNames(locale: Locale, roles: Iterable<Role>): string {
  const names = [...roles].map((r) => t(locale, `role.${r}`));
  return names.length ? names.join(locale === 'en' ? ', ' : '、') : t(locale, 'none');
}

export function listJoin(locale: Locale, items: string[]): string {
  return items.join(locale === 'en' ? ', ' : '、');
}
