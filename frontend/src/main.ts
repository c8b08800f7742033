import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Element Plus components are imported where used (unplugin-vue-components, vite.config.ts), so a page
// loads only the components it renders; the stylesheet is global (CSS is not in the JS budget).
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { makeRouter } from './router'

const app = createApp(App)
app.use(createPinia())
app.use(makeRouter())
app.mount('#app')
