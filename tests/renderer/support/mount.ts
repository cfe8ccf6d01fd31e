import { mount, flushPromises, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { setApi } from '../../../renderer/src/api'
import { createAppI18n } from '../../../renderer/src/i18n'
import { createFakeApi, type FakeApi } from './fake-api'

const Stub = { template: '<div />' }

/** A router with the app's route names and stub screens, in memory. */
export function testRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: Stub },
      { path: '/projects', name: 'projects', component: Stub },
      { path: '/projects/:projectId', name: 'packages', component: Stub },
      { path: '/work/:projectId/:packageId', name: 'workspace', component: Stub },
      { path: '/settings', name: 'settings', component: Stub },
      { path: '/history', name: 'history', component: Stub },
      { path: '/history/stats', name: 'stats', component: Stub },
    ],
  })
}

export interface Setup {
  fake: FakeApi
  router: Router
  pinia: ReturnType<typeof createPinia>
}

/** A fresh fake API and Pinia; call before using a store in a test. */
export function setup(): Setup {
  // teleported dialogs and drawers of the previous test (their leave transition never ends here)
  document.body.innerHTML = ''
  const fake = createFakeApi()
  setApi(fake.api)
  const pinia = createPinia()
  setActivePinia(pinia)
  return { fake, router: testRouter(), pinia }
}

export async function mountWith<C extends Component>(
  component: C,
  s: Setup,
  options: ComponentMountingOptions<C> = {},
) {
  const wrapper = mount(component, {
    attachTo: document.body,
    ...options,
    global: {
      plugins: [s.pinia, createAppI18n(), s.router],
      // real transitions: Element Plus shows form errors inside one
      stubs: { transition: false, 'transition-group': false },
      ...options.global,
    },
  } as ComponentMountingOptions<C>)
  await flushPromises()
  return wrapper
}

export { flushPromises }
