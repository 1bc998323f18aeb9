import { deleteLineItemsWorkflow } from "@medusajs/medusa/core-flows"
import {
  transform,
  when,
  type WorkflowData,
} from "@medusajs/framework/workflows-sdk"

/**
 * Part of a workflow's composition: deletes the cover lines a step prepared (none: nothing runs),
 * through Medusa's own line-item deletion so the cart's totals follow. `name` names the branch
 * (unique within the workflow).
 */
export function removeCoverLines(
  name: string,
  prepared: WorkflowData<{ cart_id: string; remove_ids: string[] }>
): void {
  when(
    name,
    { prepared },
    ({ prepared }) => prepared.remove_ids.length > 0
  ).then(() => {
    deleteLineItemsWorkflow.runAsStep({
      input: transform({ prepared }, ({ prepared }) => ({
        cart_id: prepared.cart_id,
        ids: prepared.remove_ids,
      })),
    })
  })
}
