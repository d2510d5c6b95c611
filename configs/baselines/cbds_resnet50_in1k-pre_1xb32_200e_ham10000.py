# MMEngine's ClassBalancedDataset (LVIS repeat-factor sampling; not in the
# paper): images of class c repeat max(1, sqrt(0.5 / f_c)) times per epoch,
# f_c the fraction of images of class c. The epoch grows accordingly.
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_ham10000.py']
method_name = 'Repeat-factor RS'
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ClassBalancedDataset',
        oversample_thr=0.5,
        dataset={{_base_.train_dataloader.dataset}}))
