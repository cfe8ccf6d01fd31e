import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router'
import { useSessionStore } from '../stores/session'
import LoginView from '../views/LoginView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** needs a logged-in agent */
    auth?: boolean
  }
}

const id = (route: RouteLocationNormalized, key: string): number => Number(route.params[key])

/**
 * Hash history: in Electron the page is app://callcenter/index.html with no server to fall back
 * to index.html. Every screen but login is its own chunk: the login screen loads only what it
 * needs.
 */
export function createAppRouter() {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      {
        path: '/',
        component: () => import('../views/AppLayout.vue'),
        children: [
          { path: '', redirect: { name: 'projects' } },
          {
            path: 'projects',
            name: 'projects',
            meta: { auth: true },
            component: () => import('../views/ProjectsView.vue'),
          },
          {
            path: 'projects/:projectId(\\d+)',
            name: 'packages',
            meta: { auth: true },
            component: () => import('../views/PackagesView.vue'),
            props: (r) => ({ projectId: id(r, 'projectId') }),
          },
          {
            path: 'work/:projectId(\\d+)/:packageId(\\d+)',
            name: 'workspace',
            meta: { auth: true },
            component: () => import('../views/WorkspaceView.vue'),
            props: (r) => ({ projectId: id(r, 'projectId'), packageId: id(r, 'packageId') }),
          },
          {
            path: 'history',
            name: 'history',
            meta: { auth: true },
            component: () => import('../views/CallLogView.vue'),
          },
          {
            path: 'history/stats',
            name: 'stats',
            meta: { auth: true },
            component: () => import('../views/StatsView.vue'),
          },
          // reachable before login too: a new machine needs its connection profile first
          {
            path: 'settings',
            name: 'settings',
            component: () => import('../views/SettingsView.vue'),
          },
        ],
      },
      { path: '/:rest(.*)*', redirect: { name: 'login' } },
    ],
  })

  router.beforeEach(async (to) => {
    const session = useSessionStore()
    if (!session.restored) await session.restore()
    if (to.meta.auth && !session.loggedIn) return { name: 'login' }
    if (to.name === 'login' && session.loggedIn) return { name: 'projects' }
    return true
  })

  return router
}
