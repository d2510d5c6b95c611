# The paper's schedule (Sec. 3.2): SGD, lr 0.0125, 200 epochs, lr x 0.1 at
# epochs 60, 120 and 180. Momentum and weight decay are not stated in the
# paper; these are MMPretrain's ResNet defaults.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0125, momentum=0.9, weight_decay=1e-4))

param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[60, 120, 180], gamma=0.1)

train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()

# The paper's batch: one GPU x 32 images.
auto_scale_lr = dict(base_batch_size=32)
