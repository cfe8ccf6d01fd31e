// first: asks main for the first screen's state while the rest below is evaluated
import './first-screen'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import './styles/base.css'
import './styles/page.css'

// pinia before the router: the router's first navigation asks the session store
createApp(App).use(createPinia()).use(createAppI18n()).use(createAppRouter()).mount('#app')
