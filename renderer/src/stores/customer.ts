import { defineStore } from 'pinia'
import type { SaveToCustomerInput } from '../../../shared/domain'
import { useApi } from '../api'
import { attempt, type Notice } from './notice'

/** 保存为客户: main validates again, names the bad field and queues the write in the outbox. */
export const useCustomerStore = defineStore('customer', () => {
  const api = useApi()

  function save(input: SaveToCustomerInput): Promise<Notice | null> {
    return attempt(() => api.customer.saveToCustomer(input))
  }

  return { save }
})
