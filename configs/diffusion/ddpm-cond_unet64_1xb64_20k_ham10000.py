# Class-conditional variant (a class embedding, as the authors' code used):
# the UNet also sees each training image's label.
_base_ = ['./ddpm_unet64_1xb64_20k_ham10000.py']
model = dict(class_conditional=True, num_classes=7)
