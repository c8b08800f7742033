// The dashboard's figures come with the API list query that reproduces them ({path, query}); the console
// shows that list on its own page with the same filters.
const API_TO_PAGE: Record<string, string> = {
  '/api/v1/hazards/': '/e/hazards',
  '/api/v1/risk-points/': '/e/risk',
  '/api/v1/investigation-tasks/': '/e/tasks',
  '/api/v1/permits/': '/e/permits',
}

export interface ApiLink {
  path: string
  query: string
}

/** The console URL of an API list link ('' when the console has no page for it). */
export function consoleLink(link: ApiLink | null | undefined): string {
  if (!link) return ''
  const page = API_TO_PAGE[link.path]
  if (!page) return ''
  return link.query ? `${page}?${link.query}` : page
}
