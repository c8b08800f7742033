export function extractFactsSchemas(spec: unknown): { oneOf: string[]; schemas: Record<string, unknown> }
