import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CallbackItem, CallPackage, EnumOption, Project } from '../../../shared/domain'
import { useApi } from '../api'
import { noticeOf, type Notice } from './notice'

interface Loadable<T> {
  data: T
  loading: boolean
  error: Notice | null
}

const loadable = <T>(data: T): Loadable<T> => ({ data, loading: false, error: null })

/** Projects, their packages and the enums the workspace needs. */
export const useCatalogStore = defineStore('catalog', () => {
  const api = useApi()
  const projects = ref<Loadable<Project[]>>(loadable([]))
  const packages = ref<Record<number, Loadable<CallPackage[]>>>({})
  /** packages getphone said are called through (package-exhausted): main keeps them a day */
  const exhausted = ref<Record<number, true>>({})
  const markExhausted = (packageId: number): void => void (exhausted.value[packageId] = true)
  const isExhausted = (packageId: number): boolean => exhausted.value[packageId] === true
  /** the package after this one in the project's list that is not called through */
  function nextPackage(projectId: number, packageId: number): CallPackage | null {
    const list = packages.value[projectId]?.data ?? []
    const at = list.findIndex((p) => p.id === packageId)
    const order = [...list.slice(at + 1), ...list.slice(0, Math.max(at, 0))]
    return order.find((p) => p.id !== packageId && !isExhausted(p.id)) ?? null
  }
  const callbackItems = ref<CallbackItem[]>([])
  const customerTypes = ref<EnumOption[]>([])
  const genderTypes = ref<EnumOption[]>([])
  const enumsError = ref<Notice | null>(null)

  async function load<T>(target: Loadable<T>, fetch: () => Promise<T>): Promise<void> {
    target.loading = true
    target.error = null
    try {
      target.data = await fetch()
    } catch (e) {
      target.error = noticeOf(e)
    } finally {
      target.loading = false
    }
  }

  const loadProjects = (): Promise<void> => load(projects.value, () => api.catalog.projects())

  async function loadPackages(projectId: number): Promise<void> {
    packages.value[projectId] ??= loadable([])
    await Promise.all([
      load(packages.value[projectId], () => api.catalog.packages({ projectId })),
      loadExhausted(),
    ])
  }

  /** main's called-through packages (across restarts); a failure only loses the grey */
  async function loadExhausted(): Promise<void> {
    try {
      const ids = await api.catalog.exhaustedPackages()
      exhausted.value = Object.fromEntries(ids.map((id) => [id, true as const]))
    } catch {
      // the list still works; the packages are just not greyed
    }
  }

  function projectById(id: number): Project | undefined {
    return projects.value.data.find((p) => p.id === id)
  }

  /** The enums change rarely (main caches them too): loaded once, again only after a failure. */
  async function loadEnums(): Promise<void> {
    if (callbackItems.value.length > 0 && genderTypes.value.length > 0) return
    enumsError.value = null
    try {
      const [items, customers, genders] = await Promise.all([
        api.catalog.callbackItems(),
        api.catalog.customerTypes(),
        api.catalog.genderTypes(),
      ])
      callbackItems.value = [...items].sort((a, b) => a.index - b.index)
      customerTypes.value = customers
      genderTypes.value = genders
    } catch (e) {
      enumsError.value = noticeOf(e)
    }
  }

  return {
    exhausted,
    markExhausted,
    isExhausted,
    nextPackage,
    projects,
    packages,
    callbackItems,
    customerTypes,
    genderTypes,
    enumsError,
    loadProjects,
    loadPackages,
    projectById,
    loadEnums,
  }
})
