"""Train carbon-tiny from scratch on procedural scenes (CPU with 2 threads, or a CUDA GPU; resumable).

Phase 1: decoder 16x16x5 -> 64x64x3. The encoder is a fixed function (latents.fixed_encode:
         4x4 patch mean colour, patch edge strength and the kind channel), so only the decoder
         is learned (on random 32x32 crops, L1 + MSE, small latent noise).
Phase 1b: the decoder learns to take a small shape's kind from the kind channel (train_decoder_kind).
Phase 2: encode the fixed training set, compute scaling_factor (1/std), then train the
         text encoder + UNet jointly (DDPM linear betas as in scheduler_config.json, 10%
         empty-caption dropout for classifier-free guidance, v-prediction with min-SNR-5
         weighting floored at 1, EMA weights used for export).
         The UNet sees x, y coordinates from the start (input channels and an embedding on
         the cross-attention tokens), so the position words can be learned.

Phases 3 (position-query attention) and 4 (low-learning-rate polish) follow; their EMA weights are the
published text encoder and UNet. Phase 7 (train_decoder_gen) then fine-tunes the decoder on the UNet's
own latents; that decoder is the published one. Phase 5 (--attn16-steps, off by default, an experiment)
adds text cross-attention at the 16x16 level; --base-model DIR runs it from an exported folder instead
of retraining phases 1-4. Phase 8 (--variety-steps, caption variety: "a red circle on a blue background")
fine-tunes the text encoder and UNet after phase 7, or on --base-model; the published weights since
issue 19 are phase 8 on the 2026-12-02 folder (README.md).

Checkpoints (.pt) go to --ckpt (default /tmp/carbon-tiny-ckpt); rerunning the same
command resumes from the last checkpoint.

    nice -n 15 python3 train.py
    python3 train.py --device cuda      # on a GPU (the default, auto, takes one when torch sees it)
(models.Encoder is unused: a learned encoder was tried first and replaced by fixed_encode.)

This file holds the training phases and their loops. What eval.py and export.py use too lives in
modules of its own: latents.py (CONFIG, the betas, fixed_encode and the kind channel), checkpoints.py
(MODEL_DIR, loading and saving checkpoints, building the models, reading an exported folder),
sampling.py (DDIM, denoise: phase 7's data) and scenes.py (analyze, which the kind channel reads).
"""
import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_data  # noqa: E402
from checkpoints import (MODEL_DIR, build_ae, build_models, folder_record, load, load_from_onnx,  # noqa: E402
                         save_atomic)
from clip_tokenizer import ClipTokenizer  # noqa: E402
from latents import CONFIG, alphas_cumprod, encode_u8, fixed_encode, latent_channels, to_tensor_images  # noqa: E402
from models import count_params  # noqa: E402
from sampling import DDIM, denoise  # noqa: E402


# Where the models train (main sets it from --device). Every random draw stays on the CPU generators and
# each batch moves to the device just before the model, so a GPU run sees the same batches and initial
# weights as a CPU run; only its float arithmetic differs.
DEVICE = torch.device("cpu")


def dev(t):
    return t.to(DEVICE)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def decoder_loop(tag, dec, opt, gen, step, total, lr0, batch, save, save_every):
    """The loop the decoder phases (1, 1b, 7) share: learning rate lr0 on a cosine to 5 %, batch(gen) ->
    (latents, target images) on the CPU, latent noise sigma 0.03 (robustness to imperfect latents),
    L1 + MSE, a log line every 50 steps, save(step) every save_every seconds and at the end."""
    t0 = time.time(); last_save = time.time(); run = None
    while step < total:
        lr = lr0 * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / total)))
        for g in opt.param_groups:
            g["lr"] = lr
        z, x = batch(gen)
        z = z + 0.03 * torch.randn(z.shape, generator=gen)
        x, rec = dev(x), dec(dev(z))
        loss_rec = (rec - x).pow(2).mean()
        loss = loss_rec + (rec - x).abs().mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        run = loss_rec.item() if run is None else 0.95 * run + 0.05 * loss_rec.item()
        if step % 50 == 0:
            log(f"{tag} step {step} mse {run:.5f} {(time.time() - t0) / 50:.3f}s/step")
            t0 = time.time()
        if time.time() - last_save > save_every or step == total:
            save(step)
            last_save = time.time()


def train_ae(images, args, latents=None):
    """Train the decoder (the encoder is fixed_encode). Returns the decoder. With latent_kind the crops'
    latents are cut from `latents` (encoded from the whole images: the kind channel reads a whole scene)."""
    path = os.path.join(args.ckpt, "ae.pt")
    _, dec = build_ae()
    if os.path.exists(path):
        st = load(path)
        if st.get("done"):
            dec.load_state_dict(st["dec"])
            log("decoder: loaded finished checkpoint")
            return dec
    torch.manual_seed(args.seed)
    _, dec = build_ae()
    dec.to(DEVICE)
    params = list(dec.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    gen = torch.Generator().manual_seed(args.seed + 1)
    step = 0
    if os.path.exists(path):
        st = load(path)
        dec.load_state_dict(st["dec"]); opt.load_state_dict(st["opt"])
        gen.set_state(st["gen"]); step = st["step"]
        log(f"decoder: resuming at step {step}")
    log(f"decoder: {count_params(dec)} params, {args.ae_steps} steps, batch {args.ae_batch}, crop {args.ae_crop}")
    n = images.shape[0]

    def batch(gen):
        idx = torch.randint(0, n, (args.ae_batch,), generator=gen)
        x = to_tensor_images(images[idx.numpy()])
        z = latents[idx] if CONFIG["latent_kind"] else None
        if args.ae_crop < x.shape[-1]:
            # fully convolutional decoder: train on random crops aligned to the 4-pixel latent grid
            cy, cx = (torch.randint(0, (x.shape[-1] - args.ae_crop) // 4 + 1, (2,), generator=gen) * 4).tolist()
            x = x[:, :, cy:cy + args.ae_crop, cx:cx + args.ae_crop]
            if z is not None:
                z = z[:, :, cy // 4:(cy + args.ae_crop) // 4, cx // 4:(cx + args.ae_crop) // 4]
        return (fixed_encode(x) if z is None else z), x

    def save(s):
        save_atomic(dict(dec=dec.state_dict(), opt=opt.state_dict(), gen=gen.get_state(), step=s,
                         done=s >= args.ae_steps, latent_block=CONFIG["latent_block"],
                         latent_kind=CONFIG["latent_kind"]), path)

    decoder_loop("decoder", dec, opt, gen, step, args.ae_steps, 2e-3, batch, save, args.save_every)
    return dec


def start_decoder_phase(args, steps_key, total, keep_name, lr, seed):
    """What decoder phases 1b and 7 share before their loop. ae.pt holds the decoder so far; the one this
    phase starts from is kept as keep_name (a rerun or resumed phase starts from the same one), and
    ae.pt's steps_key counts this phase's steps. Returns None when the phase is done, else (ae.pt's path,
    the kept checkpoint, ae.pt's checkpoint, decoder, Adam at lr, generator seeded with seed, step)."""
    path = os.path.join(args.ckpt, "ae.pt")
    st = load(path)
    if st.get(steps_key, 0) >= total:
        return None
    keep = os.path.join(args.ckpt, keep_name)
    if not os.path.exists(keep):
        save_atomic(st, keep)
    base = load(keep)
    _, dec = build_ae()
    dec.load_state_dict(base["dec"])
    dec.to(DEVICE)
    opt = torch.optim.Adam(dec.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    step = st.get(steps_key, 0)
    if step:
        dec.load_state_dict(st["dec"]); opt.load_state_dict(st["opt"]); gen.set_state(st["gen"])
    return path, base, st, dec, opt, gen, step


def train_decoder_kind(images, latents, args):
    """Phase 1b (--decoder-kind-steps, with --kind-channel): teach the decoder to take a shape's kind from the
    kind channel. Trained on exact latents (phase 1) it draws from the colour channels, which alone fix the
    image, and ignores the kind channel; but the UNet's colour channels for a small circle or square are the
    same rounded square whatever the word, while its kind channel follows the word (measured mid phase 3).
    So half of each batch are scenes drawn as a circle and as a square with everything else equal
    (gen_data.make_shape_sets, seed --data-seed + 200): colour and edge channels mixed between the two as
    w x own + (1 - w) x other, w uniform in [0, 1], the kind channel the own one's, target the own image;
    the other half ordinary training scenes. Full 64x64 scenes, L1 + MSE as phase 1, lr 5e-4 cosine to
    5 %. Phase 1's decoder is kept as ae-phase1.pt; ae.pt then holds this one."""
    started = start_decoder_phase(args, "kind_steps", args.decoder_kind_steps, "ae-phase1.pt", 5e-4, args.seed + 12)
    if started is None:
        return
    path, _, st, dec, opt, gen, step = started
    set_img, _ = gen_data.make_shape_sets(args.decoder_kind_sets, args.data_seed + 200)
    set_img = set_img[:, :2]                                             # circle, square
    set_z = encode_u8(set_img.reshape(-1, *set_img.shape[2:]))
    set_z = set_z.reshape(set_img.shape[0], 2, *set_z.shape[1:])
    log(f"decoder kind phase: {args.decoder_kind_steps} steps, {set_img.shape[0]} circle/square pairs")
    half = args.ae_batch // 4                                            # full scenes: 4x a 32x32 crop each

    def batch(gen):
        idx = torch.randint(0, images.shape[0], (half,), generator=gen)
        sidx = torch.randint(0, set_img.shape[0], (half,), generator=gen)
        own = torch.randint(0, 2, (half,), generator=gen)
        w = torch.rand(half, 1, 1, 1, generator=gen)
        z_own, z_other = set_z[sidx, own], set_z[sidx, 1 - own]
        z_mix = torch.cat([w * z_own[:, :4] + (1 - w) * z_other[:, :4], z_own[:, 4:]], dim=1)
        x = torch.cat([to_tensor_images(images[idx.numpy()]), to_tensor_images(set_img[sidx.numpy(), own.numpy()])])
        return torch.cat([latents[idx], z_mix]), x

    def save(s):
        save_atomic(dict(dec=dec.state_dict(), opt=opt.state_dict(), gen=gen.get_state(), step=st["step"],
                         done=True, kind_steps=s, latent_block=CONFIG["latent_block"], latent_kind=True), path)

    decoder_loop("decoder kind", dec, opt, gen, step, args.decoder_kind_steps, 5e-4, batch, save, args.save_every)


def encode_latents(images, args, attrs=None):
    path = os.path.join(args.ckpt, "latents.pt")
    if os.path.exists(path):
        st = load(path)
        assert st.get("latent_block", 4) == CONFIG["latent_block"], f"{path} holds another latent: use another --ckpt"
        assert st["latents"].shape[1] == CONFIG["latent_channels"], f"{path} holds another latent: use another --ckpt"
        log("latents: loaded cache")
        return st["latents"], st["scaling_factor"]
    lat = encode_u8(images)
    if CONFIG["latent_kind"] and attrs is not None:
        kind = lat[:, 4].sum(dim=(1, 2))
        read = ["square" if k > 0.5 else "circle" if k < -0.5 else "triangle" for k in kind.tolist()]
        log(f"kind channel: agrees with the generator's shape on {sum(r == a['shape'] for r, a in zip(read, attrs))}/{len(attrs)} scenes")
    sf = float(1.0 / lat.std())
    log(f"latents: {tuple(lat.shape)} mean {lat.mean().item():.3f} std {lat.std().item():.3f} -> scaling_factor {sf:.5f}"
        f" per-channel std {[round(v, 3) for v in lat.std(dim=(0, 2, 3)).tolist()]}")
    save_atomic(dict(latents=lat, scaling_factor=sf, latent_block=CONFIG["latent_block"]), path)
    return lat, sf


def ema_update(ema, model, decay):
    with torch.no_grad():
        for pe, pm in zip(ema.parameters(), model.parameters()):
            pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)


def v_loss_weight():
    """Weight per timestep on the v loss. In x0 terms the v loss is (snr + 1) x the x0 loss, so this
    gives x0 weight clamp(snr, 1, 5): min-SNR-5 at low noise (Hang et al. 2023) with a floor of 1 at
    high noise, where the layout is decided."""
    acp = alphas_cumprod()
    snr = acp / (1 - acp)
    return torch.clamp(snr, min=1.0, max=5.0) / (snr + 1)


def diffusion_step(te, unet, opt, params, data, gen, args, high_noise_half=False):
    """One v-prediction training step on a random batch; returns the loss. The random draws come in a
    fixed order (indices, caption dropout, timesteps, noise), so a resumed run repeats the same batches.
    high_noise_half: half the batch takes timesteps from the noisier half of the schedule."""
    x_all, ids, empty_ids, acp, weight = data
    n_t = CONFIG["num_train_timesteps"]
    idx = torch.randint(0, x_all.shape[0], (args.batch,), generator=gen)
    x0 = x_all[idx]
    tok = ids[idx].clone()
    drop = torch.rand(args.batch, generator=gen) < args.uncond_prob
    tok[drop] = empty_ids
    if high_noise_half:
        half = args.batch // 2
        t = torch.cat([torch.randint(0, n_t, (args.batch - half,), generator=gen),
                       torch.randint(n_t // 2, n_t, (half,), generator=gen)])
    else:
        t = torch.randint(0, n_t, (args.batch,), generator=gen)
    noise = torch.randn(x0.shape, generator=gen)
    return v_update(te, unet, opt, params, x0, tok, t, noise, acp, weight)


def v_update(te, unet, opt, params, x0, tok, t, noise, acp, weight):
    """The v-prediction loss on a drawn batch (latents x0, token ids, timesteps t, noise), one optimizer step
    (grad-clip 1); returns the loss."""
    x0, tok, t, noise, acp, weight = (dev(v) for v in (x0, tok, t, noise, acp, weight))
    a = acp[t].view(-1, 1, 1, 1)
    xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
    ctx, _ = te(tok)
    pred = unet(xt, t, ctx)
    target = a.sqrt() * noise - (1 - a).sqrt() * x0               # v = sqrt(a) eps - sqrt(1-a) x0
    loss = ((pred - target).pow(2).mean(dim=(1, 2, 3)) * weight[t]).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    return loss.item()


def run_phase(tag, models, opt, gen, step, stop, lr_at, ema_cap, data, args, save, high_noise_half=False, history=None,
              step_fn=None):
    """The loop every diffusion phase shares: learning rate by step, one training step, EMA update,
    a log line every 25 steps, and save(step) every --save-every seconds and at the end."""
    te, unet, te_ema, unet_ema = models
    params = list(te.parameters()) + list(unet.parameters())
    t0 = time.time(); last_save = time.time(); run = None; start_step = step
    while step < stop:
        lr = lr_at(step)
        for g in opt.param_groups:
            g["lr"] = lr * g.get("lr_scale", 1.0)     # lr_scale: phase 8's UNet group
        loss = (step_fn or diffusion_step)(te, unet, opt, params, data, gen, args, high_noise_half)
        step += 1
        decay = min(ema_cap, (1 + step) / (10 + step))
        ema_update(te_ema, te, decay)
        ema_update(unet_ema, unet, decay)
        run = loss if run is None else 0.98 * run + 0.02 * loss
        if step % 25 == 0:
            dt = (time.time() - t0) / (step - start_step)
            log(f"{tag} step {step}/{stop} loss {run:.4f} lr {lr:.2e} {dt:.3f}s/step eta {dt * (stop - step) / 60:.1f} min")
            if history is not None:
                history.append((step, round(run, 5)))
        if time.time() - last_save > args.save_every or step == stop:
            save(step)
            last_save = time.time()
            log(f"{tag} checkpoint saved at step {step}")
    return step


def new_models(vocab_size, cfg, te_state=None, unet_state=None, strict=True):
    """Trainable text encoder + UNet and their EMA copies (equal at the start)."""
    te, unet = build_models(vocab_size, cfg)
    if te_state is not None:
        te.load_state_dict(te_state)
        missing, unexpected = unet.load_state_dict(unet_state, strict=strict)
        # modules a later phase adds (zero-initialised outputs): phase 3 attn_pos, phase 5 a0 / ua0
        assert not unexpected and all(".attn_pos." in k or k.startswith(("a0.", "ua0.")) for k in missing), \
            (missing, unexpected)
    te_ema, unet_ema = build_models(vocab_size, cfg)
    te_ema.load_state_dict(te.state_dict()); unet_ema.load_state_dict(unet.state_dict())
    return tuple(m.to(DEVICE) for m in (te, unet, te_ema, unet_ema))


def resume(path, models, opt, gen, tag):
    """Restores a phase's checkpoint if there is one; returns (step, checkpoint dict or None)."""
    if not os.path.exists(path):
        return 0, None
    st = load(path)
    for m, k in zip(models, ("te", "unet", "te_ema", "unet_ema")):
        m.load_state_dict(st[k])
    opt.load_state_dict(st["opt"]); gen.set_state(st["gen"])
    log(f"{tag}: resuming at step {st['step']}")
    return st["step"], st


def phase_state(models, opt, gen, step, **extra):
    te, unet, te_ema, unet_ema = models
    return dict(te=te.state_dict(), unet=unet.state_dict(), te_ema=te_ema.state_dict(), unet_ema=unet_ema.state_dict(),
                opt=opt.state_dict(), gen=gen.get_state(), step=step, **extra)


def start_phase(tag, path, vocab_size, cfg, te_state, unet_state, lr, seed, latents, sf, ids, empty_ids, strict=True,
                unet_lr_scale=None):
    """What phases 3-5 share before their loop: seeded models from the previous phase's weights (modules the
    phase adds start zero-initialised), AdamW, the batch generator, a resume from the phase's checkpoint.
    unet_lr_scale: the UNet's parameters in a group of their own whose learning rate is this times the
    text encoder's (run_phase reads lr_scale). Returns (models, opt, gen, step, checkpoint or None, data)."""
    torch.manual_seed(seed)
    models = new_models(vocab_size, cfg, te_state, unet_state, strict=strict)
    params = list(models[0].parameters()) + list(models[1].parameters())
    if unet_lr_scale is None:
        opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    else:
        opt = torch.optim.AdamW([{"params": list(models[0].parameters())},
                                 {"params": list(models[1].parameters()), "lr_scale": unet_lr_scale}],
                                lr=lr, weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed + 1)
    step, st = resume(path, models, opt, gen, tag)
    return models, opt, gen, step, st, (latents * sf, ids, empty_ids, alphas_cumprod(), v_loss_weight())


def with_sets(data, sets):
    """--contrast-from-start: phases 2-4 train with contrast_step on the shape sets (phase 6's loss from
    the first step); otherwise the ordinary diffusion_step. Returns (data, step_fn) for run_phase."""
    return (data, None) if sets is None else (data + (sets,), contrast_step)


def train_diffusion(latents, sf, ids, empty_ids, vocab_size, args, sets=None):
    """Phase 2: text encoder + UNet from scratch (v-prediction, coordinates from step 0)."""
    path = os.path.join(args.ckpt, "diffusion.pt")
    torch.manual_seed(args.seed + 2)
    models = new_models(vocab_size, CONFIG)
    params = list(models[0].parameters()) + list(models[1].parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    gen = torch.Generator().manual_seed(args.seed + 3)
    step, st = resume(path, models, opt, gen, "diffusion")
    history = st["history"] if st else []
    log(f"diffusion: text encoder {count_params(models[0])} params, unet {count_params(models[1])} params, "
        f"{args.steps} steps, batch {args.batch}")
    data, step_fn = with_sets((latents * sf, ids, empty_ids, alphas_cumprod(), v_loss_weight()), sets)

    def lr_at(s):
        if s < args.warmup:
            return args.lr * (s + 1) / args.warmup
        if s > 0.85 * args.steps:
            return args.lr * (0.1 + 0.9 * (args.steps - s) / (0.15 * args.steps))
        return args.lr

    def save(s):
        save_atomic(phase_state(models, opt, gen, s, history=history, scaling_factor=sf, config=CONFIG,
                                vocab_size=vocab_size), path)
        # a small export-only copy (EMA weights) for eval/export while training continues
        save_atomic(dict(te=models[2].state_dict(), unet=models[3].state_dict(), step=s, scaling_factor=sf,
                         config=CONFIG, vocab_size=vocab_size), os.path.join(args.ckpt, "ema.pt"))

    stop = min(args.steps, args.stop_at) if args.stop_at else args.steps
    run_phase("diff", models, opt, gen, step, stop, lr_at, args.ema, data, args, save, history=history, step_fn=step_fn)


def train_posattn(latents, sf, ids, empty_ids, vocab_size, args, sets=None):
    """Phase 3: the phase-2 model learned colours, shapes and backgrounds but not the position words
    (its predicted layout at high noise was the same for every position). Add position-query
    cross-attention (models.SpatialTransformer pos_attn, zero-initialised output: the model starts
    out identical to the phase-2 EMA model) and fine-tune everything, with half of each batch drawn
    from the high-noise half of the schedule, where the layout is decided."""
    path = os.path.join(args.ckpt, "posattn.pt")
    base = load(os.path.join(args.ckpt, "diffusion.pt"))
    cfg = dict(CONFIG, unet_pos_attn=True)
    models, opt, gen, step, st, data = start_phase("posattn", path, vocab_size, cfg, base["te_ema"], base["unet_ema"],
                                                   args.posattn_lr, args.seed + 4, latents, sf, ids, empty_ids,
                                                   strict=False)
    history = st["history"] if st else []
    data, step_fn = with_sets(data, sets)
    total = args.posattn_steps
    log(f"posattn: from phase-2 step {base['step']}, unet {count_params(models[1])} params, {total} steps")

    def save(s):
        save_atomic(phase_state(models, opt, gen, s, history=history), path)
        save_atomic(dict(te=models[2].state_dict(), unet=models[3].state_dict(), step=base["step"] + s,
                         phase2_steps=base["step"], posattn_steps=s, scaling_factor=sf, config=cfg,
                         vocab_size=vocab_size), os.path.join(args.ckpt, "ema.pt"))

    lr_at = lambda s: args.posattn_lr * (1.0 if s < 0.7 * total else 0.1 + 0.9 * (total - s) / (0.3 * total))
    run_phase("posattn", models, opt, gen, step, total, lr_at, args.posattn_ema, data, args, save,
              high_noise_half=True, history=history, step_fn=step_fn)


def train_polish(latents, sf, ids, empty_ids, vocab_size, args, sets=None):
    """Phase 4: a short low-learning-rate pass from the phase-3 EMA weights, timesteps uniform again,
    to sharpen shape detail (corners are decided at low noise). EMA 0.998; ema.pt then holds it."""
    path = os.path.join(args.ckpt, "polish.pt")
    base = load(os.path.join(args.ckpt, "posattn.pt"))
    assert base["step"] >= args.posattn_steps, "phase 3 not finished"
    cfg = dict(CONFIG, unet_pos_attn=True)
    models, opt, gen, step, _, data = start_phase("polish", path, vocab_size, cfg, base["te_ema"], base["unet_ema"],
                                                  args.polish_lr, args.seed + 6, latents, sf, ids, empty_ids)
    data, step_fn = with_sets(data, sets)
    total = args.polish_steps
    log(f"polish: {total} steps from lr {args.polish_lr:.1e}, linear to 10 %")

    def save(s):
        save_atomic(phase_state(models, opt, gen, s), path)
        save_atomic(dict(te=models[2].state_dict(), unet=models[3].state_dict(), step=base["step"] + s,
                         posattn_steps=base["step"], polish_steps=s, scaling_factor=sf, config=cfg,
                         vocab_size=vocab_size), os.path.join(args.ckpt, "ema.pt"))

    stop = min(total, args.polish_stop_at) if args.polish_stop_at else total
    run_phase("polish", models, opt, gen, step, stop, lambda s: args.polish_lr * (1.0 - 0.9 * s / total), 0.998,
              data, args, save, step_fn=step_fn)


def phase4_result(args):
    """The model phase 5 starts from: phase 4's EMA weights (polish.pt), or with --base-model the weights of an
    exported folder (e.g. models/carbon-tiny as committed before phase 5 existed: the same numbers)."""
    if args.base_model:
        te, unet, _, _ = load_from_onnx(args.base_model)
        return te.state_dict(), unet.state_dict(), folder_record(args.base_model)["training_steps"]
    base = load(os.path.join(args.ckpt, "polish.pt"))
    assert base["step"] >= args.polish_steps, "phase 4 not finished"
    posattn = load(os.path.join(args.ckpt, "posattn.pt"))
    return base["te_ema"], base["unet_ema"], posattn["step"] + base["step"]


def base_decoder(model_dir, args):
    """With --base-model or --decoder-from: that folder's decoder becomes this run's finished decoder phase
    (ae.pt). The published decoder is phases 1 and 1b's deterministic output, so this only skips retraining it."""
    path = os.path.join(args.ckpt, "ae.pt")
    if not os.path.exists(path):
        dec = load_from_onnx(model_dir)[2]
        info = folder_record(model_dir).get("training", {})
        save_atomic(dict(dec=dec.state_dict(), done=True, step=0, latent_block=CONFIG["latent_block"],
                         latent_kind=CONFIG["latent_kind"], kind_steps=info.get("kind_steps", 0)), path)
        log(f"decoder: taken from {model_dir}")


def finetune_save_and_lr(models, opt, gen, path, steps_key, base_step, sf, cfg, vocab_size, lr, total, args):
    """What phases 5 and 6 (fine-tunes of the phase-4 model) share: save(s) writes the phase checkpoint and
    ema.pt (its EMA weights, with base_step + s and steps_key = s); lr_at(s) is a 50-step warm-up to lr,
    constant to 60 % of total, then linear to 10 %."""
    def save(s):
        save_atomic(phase_state(models, opt, gen, s), path)
        save_atomic({"te": models[2].state_dict(), "unet": models[3].state_dict(), "step": base_step + s,
                     "phase4_steps": base_step, steps_key: s, "scaling_factor": sf, "config": cfg,
                     "vocab_size": vocab_size}, os.path.join(args.ckpt, "ema.pt"))

    def lr_at(s):
        if s < 50:
            return lr * (s + 1) / 50
        return lr * (1.0 if s < 0.6 * total else 0.1 + 0.9 * (total - s) / (0.4 * total))

    return save, lr_at


def train_attn16(latents, sf, ids, empty_ids, vocab_size, args):
    """Phase 5: text cross-attention at the UNet's 16x16 level (models.UNet attn0: a0 after the first down
    block, ua0 after the last up block). Every miss of the phase-4 model was the kind of a small shape (a
    square drawn round, a circle drawn square): a shape 3-4 latent cells wide, whose corners only the 16x16
    level resolves, and that level saw the text only as the mean of its 77 states added to the timestep
    embedding. Zero-initialised outputs: the phase-4 model is the starting point. Uniform timesteps,
    AdamW 2e-4 (50-step warm-up, the last 40 % decayed to 10 %), EMA 0.998; ema.pt then holds it."""
    path = os.path.join(args.ckpt, "attn16.pt")
    te_state, unet_state, base_step = phase4_result(args)
    cfg = dict(CONFIG, unet_pos_attn=True, unet_attn0=True)
    models, opt, gen, step, _, data = start_phase("attn16", path, vocab_size, cfg, te_state, unet_state,
                                                  args.attn16_lr, args.seed + 8, latents, sf, ids, empty_ids,
                                                  strict=False)
    total = args.attn16_steps
    log(f"attn16: from step {base_step}, unet {count_params(models[1])} params, {total} steps from lr {args.attn16_lr:.1e}")

    save, lr_at = finetune_save_and_lr(models, opt, gen, path, "attn16_steps", base_step, sf, cfg, vocab_size,
                                       args.attn16_lr, total, args)
    run_phase("attn16", models, opt, gen, step, total, lr_at, 0.998, data, args, save)


def contrast_step(te, unet, opt, params, data, gen, args, high_noise_half=False):
    """One phase-6 step: args.batch - 3 k ordinary samples (as diffusion_step) plus k shape sets, each a scene
    drawn as a circle, a square and a triangle with everything else equal, noised with the same noise at the
    same timestep (below --contrast-max-t). Besides the ordinary loss on all of them, the sets add
    contrast_weight x the squared difference of their errors, (e_i - e_j)^2 for each pair of kinds: the
    common part of the error (jitter, size, what the noise hides) cancels, and what is left is exactly how
    the prediction should change with the shape word. Random draws in a fixed order, so a resumed run repeats the same batches."""
    x_all, ids, empty_ids, acp, weight, (set_x, set_ids) = data   # train_contrast appends the sets
    n_t = CONFIG["num_train_timesteps"]
    k = args.contrast_sets_per_batch
    n = args.batch - 3 * k
    idx = torch.randint(0, x_all.shape[0], (n,), generator=gen)
    tok = ids[idx].clone()
    tok[torch.rand(n, generator=gen) < args.uncond_prob] = empty_ids
    sidx = torch.randint(0, set_x.shape[0], (k,), generator=gen)
    if high_noise_half:                         # phase 3 with --contrast-from-start: as diffusion_step
        t_one = torch.cat([torch.randint(0, n_t, (n - n // 2,), generator=gen),
                           torch.randint(n_t // 2, n_t, (n // 2,), generator=gen)])
    else:
        t_one = torch.randint(0, n_t, (n,), generator=gen)
    t_set = torch.randint(0, args.contrast_max_t, (k,), generator=gen)
    noise_one = torch.randn((n,) + tuple(x_all.shape[1:]), generator=gen)
    noise_set = torch.randn((k,) + tuple(x_all.shape[1:]), generator=gen)
    x0 = torch.cat([x_all[idx], set_x[sidx].flatten(0, 1)])                     # sets: [k*3] kind-major per set
    tok = torch.cat([tok, set_ids[sidx].flatten(0, 1)])
    t = torch.cat([t_one, t_set.repeat_interleave(3)])
    noise = torch.cat([noise_one, noise_set.repeat_interleave(3, dim=0)])
    x0, tok, t, t_set, noise, acp, weight = (dev(v) for v in (x0, tok, t, t_set, noise, acp, weight))
    a = acp[t].view(-1, 1, 1, 1)
    xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
    ctx, _ = te(tok)
    err = unet(xt, t, ctx) - (a.sqrt() * noise - (1 - a).sqrt() * x0)
    base = (err.pow(2).mean(dim=(1, 2, 3)) * weight[t]).mean()
    e = err[n:].reshape(k, 3, *err.shape[1:])
    diff = sum((e[:, i] - e[:, j]).pow(2).mean(dim=(1, 2, 3)) for i, j in ((0, 1), (0, 2), (1, 2))) / 3
    loss = base + args.contrast_weight * (diff * weight[t_set]).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    return loss.item()


def shape_sets(tok, sf, args):
    """Phase 6's data: --contrast-sets scenes x 3 kinds (gen_data.make_shape_sets, seed --data-seed + 100),
    as scaled latents [n, 3, C, 16, 16] and token ids [n, 3, 77]; cached in the checkpoint folder."""
    path = os.path.join(args.ckpt, "shape-sets.pt")
    if os.path.exists(path):
        st = load(path)
        return st["x"], st["ids"]
    images, captions = gen_data.make_shape_sets(args.contrast_sets, args.data_seed + 100)
    x = encode_u8(images.reshape(-1, *images.shape[2:])) * sf
    x = x.reshape(images.shape[0], 3, *x.shape[1:])
    ids = torch.tensor([[tok(c) for c in row] for row in captions], dtype=torch.long)
    save_atomic(dict(x=x, ids=ids), path)
    log(f"shape sets: {tuple(x.shape)}")
    return x, ids


def train_contrast(latents, sf, ids, empty_ids, vocab_size, tok, args):
    """Phase 6: make small shapes follow the shape word. Measured on the phase-4 model (small circles and
    squares of the validation draw, ground truth noised to t and denoised with their captions): circles and
    squares came out the same rounded square from any t >= 49, and swapping "circle" and "square" in the
    captions changed nothing (boundary-cell x0 error 0.0441 vs 0.0445 at t = 199). In the ordinary loss the
    difference the word makes is a few cells, far below the error from jitter and size the model cannot
    know, so it never learned it; contrast_step isolates that difference. Uniform timesteps, AdamW
    --contrast-lr (50-step warm-up, last 40 % decayed to 10 %), EMA 0.998; ema.pt then holds it. Starts
    from phase 4's weights (or --base-model)."""
    path = os.path.join(args.ckpt, "contrast.pt")
    te_state, unet_state, base_step = phase4_result(args)
    cfg = dict(CONFIG, unet_pos_attn=True, unet_attn0=args.contrast_attn16)
    models, opt, gen, step, _, data = start_phase("contrast", path, vocab_size, cfg, te_state, unet_state,
                                                  args.contrast_lr, args.seed + 10, latents, sf, ids, empty_ids,
                                                  strict=not args.contrast_attn16)
    data = data + (shape_sets(tok, sf, args),)
    total = args.contrast_steps
    log(f"contrast: from step {base_step}, unet {count_params(models[1])} params, {total} steps from lr {args.contrast_lr:.1e}, "
        f"{args.contrast_sets_per_batch} sets per batch, weight {args.contrast_weight}")

    save, lr_at = finetune_save_and_lr(models, opt, gen, path, "contrast_steps", base_step, sf, cfg, vocab_size,
                                       args.contrast_lr, total, args)
    run_phase("contrast", models, opt, gen, step, total, lr_at, 0.998, data, args, save, step_fn=contrast_step)


def variety_step(te, unet, opt, params, data, gen, args, high_noise_half=False):
    """One phase-8 step: as diffusion_step (uniform timesteps, --uncond-prob empty captions), but each
    sample's caption is gen_data.varied_caption of its scene, drawn anew every time the scene is picked
    (five uniforms per sample from the batch generator, right after the indices; with probability
    --variety-prob a plain form). Random draws in a fixed order, so a resumed run repeats the same batches."""
    x_all, _, empty_ids, acp, weight, (attrs, tok) = data
    n_t = CONFIG["num_train_timesteps"]
    idx = torch.randint(0, x_all.shape[0], (args.batch,), generator=gen)
    u = torch.rand(args.batch, 5, generator=gen)
    ids = torch.tensor([tok(gen_data.varied_caption(attrs[i], ui, args.variety_prob, args.variety_mix))
                        for i, ui in zip(idx.tolist(), u.tolist())], dtype=torch.long)
    ids[torch.rand(args.batch, generator=gen) < args.uncond_prob] = empty_ids
    t = torch.randint(0, n_t, (args.batch,), generator=gen)
    x0 = x_all[idx]
    noise = torch.randn(x0.shape, generator=gen)
    return v_update(te, unet, opt, params, x0, ids, t, noise, acp, weight)


def train_variety(latents, sf, ids, empty_ids, vocab_size, tok, attrs, args):
    """Phase 8 (--variety-steps; issue 19, item 3): caption variety. The model only knew its captions' one
    form ("one small red circle on a blue background, top left"); "a red circle on a blue background" (article
    instead of count, no size, no position) came out orange whatever the colours (eval.py --plain: 2/164).
    Fine-tunes text encoder and UNet from phase 4's weights (or --base-model) on the training scenes with
    each caption, with probability --variety-prob, in a plain form (gen_data.varied_caption; only the
    vocabulary's words; scenes of the held-out triples keep the original form, so eval.py --plain stays
    held out). Uniform timesteps, AdamW --variety-lr for the text encoder, --variety-unet-lr for the UNet
    (the phrasing is the text encoder's job; the UNet's drawing should move little), 50-step warm-up,
    constant to 60 %, then linear to 10 %, EMA 0.998; ema.pt then holds it, with the base folder's training record (export.py's
    carbon.json). The decoder is the base one, untouched."""
    path = os.path.join(args.ckpt, "variety.pt")
    te_state, unet_state, base_step = phase4_result(args)
    cfg = dict(CONFIG, unet_pos_attn=True)
    unet_lr = args.variety_unet_lr if args.variety_unet_lr is not None else args.variety_lr
    models, opt, gen, step, _, data = start_phase("variety", path, vocab_size, cfg, te_state, unet_state,
                                                  args.variety_lr, args.seed + 16, latents, sf, ids, empty_ids,
                                                  unet_lr_scale=unet_lr / args.variety_lr)
    data = data + ((attrs, tok),)
    total = args.variety_steps
    record = folder_record(args.base_model).get("training", {}) if args.base_model else {}
    log(f"variety: from step {base_step}, {total} steps from lr {args.variety_lr:.1e} (UNet {unet_lr:.1e}), plain captions "
        f"{args.variety_prob:.2f} of the scenes outside the {len(gen_data.heldout_triples())} held-out triples, mix {args.variety_mix}")
    phase_save, lr_at = finetune_save_and_lr(models, opt, gen, path, "variety_steps", base_step, sf, cfg, vocab_size,
                                             args.variety_lr, total, args)

    def save(s):
        phase_save(s)
        ema = os.path.join(args.ckpt, "ema.pt")
        save_atomic(dict(load(ema), training=record), ema)

    stop = min(total, args.variety_stop_at) if args.variety_stop_at else total
    run_phase("variety", models, opt, gen, step, stop, lr_at, 0.998, data, args, save, step_fn=variety_step)


def generated_pairs(te_state, unet_state, cfg, vocab_size, sf, tok, args):
    """Phase 7's data: --decoder-gen-scenes training-distribution scenes (gen_data.make_dataset, seed
    --data-seed + 300), encoded, noised to a timestep of the 20-step sampling schedule in
    [--decoder-gen-min-t, --decoder-gen-max-t] and denoised with their captions exactly as the pipeline
    does (DDIM, guidance 2, the folder's scheduler_config.json). Returns uint8 images, their exact raw
    latents and the generated raw latents (each / scaling_factor, as the decoder takes them); cached in
    the checkpoint folder. From such starts the layout mostly stays the truth's, so the generated latent
    and the image are a fair input/target pair; what differs is how the UNet draws a small shape's edge.
    A wider range still helped on validation (t <= 499: 525/600, <= 699: 536, <= 849: 544, with more
    scenes and steps each time); above that the start is nearly pure noise and the pair would not match."""
    path = os.path.join(args.ckpt, "decoder-gen-data.pt")
    if os.path.exists(path):
        st = load(path)
        return st["images"], st["z_true"], st["z_gen"]
    te, unet = build_models(vocab_size, cfg)
    te.load_state_dict(te_state); unet.load_state_dict(unet_state)
    te.eval(); unet.eval()                      # on the CPU, as eval.py samples (sampling.DDIM works on CPU tensors)
    images, captions, _ = gen_data.make_dataset(args.decoder_gen_scenes, args.data_seed + 300)
    sched_cfg = json.load(open(os.path.join(MODEL_DIR, "scheduler", "scheduler_config.json")))
    sched = DDIM(sched_cfg)
    ts = sched.set_timesteps(20)
    starts = [k for k, t in enumerate(ts) if args.decoder_gen_min_t <= t <= args.decoder_gen_max_t]
    gen = torch.Generator().manual_seed(args.seed + 14)
    k_of = torch.tensor(starts)[torch.randint(0, len(starts), (len(captions),), generator=gen)]
    with torch.no_grad():
        z_true = encode_u8(images)
        noise = torch.randn(z_true.shape, generator=gen)
        ids = torch.tensor([tok(c) for c in captions], dtype=torch.long)
        empty = torch.tensor([tok("")], dtype=torch.long)
        z_gen = torch.empty_like(z_true)
        t0 = time.time()
        for k in starts:
            sel = (k_of == k).nonzero().flatten()
            for i in range(0, len(sel), 100):
                b = sel[i:i + 100]
                a = sched.acp[int(ts[k])]
                x = a.sqrt() * z_true[b] * sf + (1 - a).sqrt() * noise[b]
                cond = te(ids[b])[0]
                uncond = te(empty.expand(len(b), -1))[0]
                z_gen[b] = denoise(x, ts[k:], cond, uncond, unet, sched, 2.0) / sf
            log(f"decoder-gen data: from t={int(ts[k])}: {len(sel)} scenes, {time.time() - t0:.0f} s so far")
    save_atomic(dict(images=images, z_true=z_true, z_gen=z_gen), path)
    return images, z_true, z_gen


def train_decoder_gen(images, z_true, z_gen, args):
    """Phase 7 (--decoder-gen-steps, 3000 in the published recipe): the decoder fine-tuned on the UNet's own
    latents. Measured on the kind-channel model: for groups of two or three small squares the generated kind channel says square
    (+26 summed, circles -25) but the decoder draws them round (11/30), because the UNet's colour channels
    for them are rounder than any phase-1b mix; noised ground truth denoised from t = 249 already decodes
    round (squares 10/23, clean 19/23). Each batch: half exact latents (keeps the ceiling), half generated
    ones, target the true image either way; full 64x64 scenes, L1 + MSE, Adam --decoder-gen-lr cosine to
    5 %, from the decoder before this phase (kept as ae-phase1b.pt)."""
    started = start_decoder_phase(args, "gen_steps", args.decoder_gen_steps, "ae-phase1b.pt", args.decoder_gen_lr,
                                  args.seed + 15)
    if started is None:
        return
    path, base, _, dec, opt, gen, step = started
    half = args.ae_batch // 4
    log(f"decoder-gen phase: {args.decoder_gen_steps} steps, {z_gen.shape[0]} generated latents")

    def batch(gen):
        idx = torch.randint(0, z_true.shape[0], (2 * half,), generator=gen)
        return torch.cat([z_true[idx[:half]], z_gen[idx[half:]]]), to_tensor_images(images[idx.numpy()])

    def save(s):
        save_atomic(dict(base, dec=dec.state_dict(), opt=opt.state_dict(), gen=gen.get_state(), gen_steps=s), path)

    decoder_loop("decoder-gen", dec, opt, gen, step, args.decoder_gen_steps, args.decoder_gen_lr, batch, save,
                 args.save_every)


def decoder_gen_phase(sf, vocab_size, tok, args):
    """Phase 7 after phase 4 (or on --base-model): its data, its training, and ema.pt for export/eval
    (with --base-model the folder's text encoder and UNet, unchanged)."""
    te_state, unet_state, base_step = phase4_result(args)
    cfg = dict(CONFIG, unet_pos_attn=True)
    if args.base_model:
        save_atomic(dict(te=te_state, unet=unet_state, step=base_step, scaling_factor=sf, config=cfg, vocab_size=vocab_size,
                         training=folder_record(args.base_model).get("training", {})), os.path.join(args.ckpt, "ema.pt"))
    images, z_true, z_gen = generated_pairs(te_state, unet_state, cfg, vocab_size, sf, tok, args)
    train_decoder_gen(images, z_true, z_gen, args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="/tmp/carbon-tiny-ckpt")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--data-seed", type=int, default=7)
    ap.add_argument("--n-images", type=int, default=50000)
    ap.add_argument("--ae-steps", type=int, default=1500)
    ap.add_argument("--ae-batch", type=int, default=64)
    ap.add_argument("--ae-crop", type=int, default=32)
    ap.add_argument("--ae-only", action="store_true", help="stop after the autoencoder phase")
    ap.add_argument("--steps", type=int, default=6000, help="phase 2 schedule length (LR constant until 85 %%)")
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--lr", type=float, default=6e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--ema", type=float, default=0.998)
    ap.add_argument("--stop-at", type=int, default=1939, help="end phase 2 at this step (same schedule as --steps); 0: run all of --steps")
    ap.add_argument("--posattn-steps", type=int, default=2000, help="phase 3 steps (position-query attention); 0: none")
    ap.add_argument("--posattn-lr", type=float, default=4e-4)
    ap.add_argument("--posattn-ema", type=float, default=0.995)
    ap.add_argument("--polish-steps", type=int, default=800, help="phase 4 steps (low learning rate); 0: none")
    ap.add_argument("--polish-lr", type=float, default=1e-4)
    ap.add_argument("--polish-stop-at", type=int, default=0,
                    help="end phase 4 at this step (same learning-rate schedule as --polish-steps); 0: run all of it")
    ap.add_argument("--attn16-steps", type=int, default=0,
                    help="phase 5 steps (16x16 text cross-attention, an experiment: not in the published weights); 0: none")
    ap.add_argument("--attn16-lr", type=float, default=2e-4)
    ap.add_argument("--base-model", default=None, metavar="DIR",
                    help="take phases 1-4 from an exported model folder (its decoder and weights) and run phase 5 only")
    ap.add_argument("--contrast-steps", type=int, default=0,
                    help="phase 6 steps (shape contrast, from phase 4 or --base-model); 0: none")
    ap.add_argument("--contrast-lr", type=float, default=1e-4)
    ap.add_argument("--contrast-weight", type=float, default=2.0)
    ap.add_argument("--contrast-sets", type=int, default=20000, help="phase 6: scenes drawn in all three kinds")
    ap.add_argument("--contrast-sets-per-batch", type=int, default=8)
    ap.add_argument("--contrast-attn16", action="store_true",
                    help="phase 6 adds phase 5's text cross-attention at 16x16 (a0, ua0, zero-initialised) too")
    ap.add_argument("--contrast-max-t", type=int, default=500,
                    help="phase 6: the sets' timesteps are drawn below this (where jitter and size show through the noise)")
    ap.add_argument("--contrast-from-start", action="store_true",
                    help="phases 2-4 train with phase 6's shape sets and contrast loss (--contrast-weight, "
                         "--contrast-sets-per-batch, --contrast-max-t) from their first step")
    ap.add_argument("--attn16-from-start", action="store_true",
                    help="the UNet has phase 5's 16x16 text cross-attention (a0, ua0) from phase 2 on")
    ap.add_argument("--decoder-from", default=None, metavar="DIR",
                    help="take phase 1's decoder from an exported folder instead of retraining it")
    ap.add_argument("--kind-channel", action=argparse.BooleanOptionalAction, default=True,
                    help="a fifth latent channel: shape coverage x kind (circle -1, square +1, triangle 0); "
                         "--no-kind-channel gives the four-channel latent of the 2026-11-25 weights")
    ap.add_argument("--decoder-kind-steps", type=int, default=1000,
                    help="phase 1b (with the kind channel): decoder steps on circle/square scenes with mixed colour channels")
    ap.add_argument("--decoder-kind-sets", type=int, default=5000)
    ap.add_argument("--decoder-gen-steps", type=int, default=None,
                    help="phase 7 (after phase 4, or on --base-model): decoder steps on the UNet's own latents; "
                         "default 3000 after phase 4, none with --base-model, --attn16-steps or --contrast-steps; 0: none")
    ap.add_argument("--decoder-gen-scenes", type=int, default=8000)
    ap.add_argument("--decoder-gen-min-t", type=int, default=99)
    ap.add_argument("--decoder-gen-max-t", type=int, default=849)
    ap.add_argument("--decoder-gen-lr", type=float, default=2e-4)
    ap.add_argument("--variety-steps", type=int, default=0,
                    help="phase 8 steps (caption variety: plain phrasings, from phase 4 or --base-model); 0: none")
    ap.add_argument("--variety-lr", type=float, default=3e-4, help="phase 8: the text encoder's learning rate")
    ap.add_argument("--variety-unet-lr", type=float, default=1e-4, help="phase 8: the UNet's learning rate")
    ap.add_argument("--variety-prob", type=float, default=0.5,
                    help="phase 8: the fraction of captions (outside the held-out triples) given a plain form")
    ap.add_argument("--variety-mix", type=json.loads, default=gen_data.PLAIN_MIX, metavar="JSON",
                    help="phase 8: how plain captions are phrased (gen_data.PLAIN_MIX; the first run's: PLAIN_MIX_V1)")
    ap.add_argument("--variety-stop-at", type=int, default=0,
                    help="end phase 8 at this step (same learning-rate schedule as --variety-steps); 0: run all of it")
    ap.add_argument("--uncond-prob", type=float, default=0.1)
    ap.add_argument("--save-every", type=float, default=240.0, help="seconds between checkpoints")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (torch.set_num_threads)")
    ap.add_argument("--device", default="auto", help="auto (cuda when torch sees a GPU, else cpu), cpu, cuda or cuda:N")
    ap.add_argument("--latent-block", type=int, choices=(2, 4), default=4,
                    help="fixed encoder: 4 = 4x4 patch colour + edge (16x16x4); 2 = 2x2 block colours, space-to-depth (16x16x12)")
    ap.add_argument("--latent-input-scale", type=float, default=1.0, help="scaling_factor = this / latent std")
    args = ap.parse_args()
    if args.decoder_gen_steps is None:     # phase 7 tunes the decoder to phase 4's UNet: not after phases 5 or 6
        args.decoder_gen_steps = 0 if args.base_model or args.attn16_steps or args.contrast_steps else 3000
    CONFIG.update(latent_block=args.latent_block, latent_channels=latent_channels(args.latent_block, args.kind_channel),
                  latent_kind=args.kind_channel,
                  latent_input_scale=args.latent_input_scale, unet_attn0=args.attn16_from_start)
    torch.set_num_threads(args.threads)
    global DEVICE
    DEVICE = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device)
    if DEVICE.type == "cuda":
        torch.backends.cudnn.benchmark = False        # the same convolution algorithms run to run
        torch.backends.cudnn.deterministic = True
        torch.backends.cuda.matmul.allow_tf32 = False  # fp32 as on the CPU
        torch.backends.cudnn.allow_tf32 = False
    os.makedirs(args.ckpt, exist_ok=True)
    t_start = time.time()
    log("args", vars(args), "device", DEVICE)

    tok = ClipTokenizer.from_dir(os.path.join(MODEL_DIR, "tokenizer"))
    vocab_size = len(tok.encoder)
    images, captions, attrs = gen_data.make_dataset(args.n_images, args.data_seed)
    log(f"data: {len(captions)} images, {len(set(captions))} distinct captions")
    ids = torch.tensor([tok(c) for c in captions], dtype=torch.long)
    empty_ids = torch.tensor(tok(""), dtype=torch.long)

    latents, unit_sf = encode_latents(images, args, attrs)
    if args.base_model or args.decoder_from:
        base_decoder(args.base_model or args.decoder_from, args)       # already through phase 1b where it has one
    else:
        train_ae(images, args, latents)
        if args.decoder_kind_steps > 0 and CONFIG["latent_kind"]:
            train_decoder_kind(images, latents, args)
    if args.ae_only:
        return
    sf = unit_sf * CONFIG["latent_input_scale"]
    log(f"scaling_factor {sf:.5f} (1/std x latent_input_scale {CONFIG['latent_input_scale']})")
    del images
    if not args.base_model:
        sets = shape_sets(tok, sf, args) if args.contrast_from_start else None
        train_diffusion(latents, sf, ids, empty_ids, vocab_size, args, sets)
        if args.posattn_steps > 0:
            train_posattn(latents, sf, ids, empty_ids, vocab_size, args, sets)
        if args.posattn_steps <= 0 or args.polish_steps <= 0:
            return
        train_polish(latents, sf, ids, empty_ids, vocab_size, args, sets)
    if args.attn16_steps > 0:
        train_attn16(latents, sf, ids, empty_ids, vocab_size, args)
    if args.contrast_steps > 0:
        train_contrast(latents, sf, ids, empty_ids, vocab_size, tok, args)
    if args.decoder_gen_steps > 0:
        decoder_gen_phase(sf, vocab_size, tok, args)
    if args.variety_steps > 0:      # after phase 7, as published: from phase 4's weights, the phase-7 decoder kept
        train_variety(latents, sf, ids, empty_ids, vocab_size, tok, attrs, args)
    log(f"done in {(time.time() - t_start) / 60:.1f} min (this invocation)")


if __name__ == "__main__":
    main()
