# HAM-64's schedule: the paper's shape (lr x 0.1 at 30%, 60% and 90% of the
# epochs) over 60 epochs, with a from-scratch learning rate for batch 64.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[18, 36, 54], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
