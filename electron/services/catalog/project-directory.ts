import type { Project } from '../../../shared/domain'

/**
 * The projects the agent last saw, by id: the Data Center report needs a project's name (it is
 * matched to the Data Center's projGUID by name), and a save must not wait for the network.
 */
export class ProjectDirectory {
  private byId = new Map<number, Project>()

  remember(projects: Project[]): void {
    for (const p of projects) this.byId.set(p.id, p)
  }

  nameOf(projectId: number): string | undefined {
    return this.byId.get(projectId)?.name
  }
}
