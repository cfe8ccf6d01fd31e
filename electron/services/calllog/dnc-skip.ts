/** The notes of a 勿扰 number skipped without a call: such rows are not calls made. */
export const DNC_SKIP_NOTES = '勿扰号码再次分配，已自动跳过'
