// Maps Prisma's error codes to the core's vocabulary at the repository edge.
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';
}
