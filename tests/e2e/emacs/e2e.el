;;; e2e.el --- End-to-end test of CarbonLsp through Emacs + Eglot, in batch mode  -*- lexical-binding: t; -*-

;; CARBONLSP_REPO=<repo> CARBONLSP_DLL=<carbonlsp.dll> CARBONLSP_E2E_FILE=<copy of a .prompts.json> \
;;   emacs -Q --batch -l tests/e2e/emacs/e2e.el
;;
;; Loads the shipped editors/emacs/carbonlsp.el, visits the file (which picks the mode and the
;; Eglot server from that file), edits, hovers, applies the quick fix's WorkspaceEdit with Eglot's
;; own function and waits until the diagnostic is gone.  Prints "ok <step> <ms>" lines; exits 0 on
;; success, 1 on a failed check, 3 on timeout.

;;; Code:

(require 'cl-lib)
(require 'package)
;; -Q implies --no-site-lisp, which hides Debian's elpa-eglot (site-lisp/elpa) from package.el.
(dolist (dir '("/usr/share/emacs/site-lisp/elpa" "/usr/local/share/emacs/site-lisp/elpa"))
  (when (file-directory-p dir) (add-to-list 'package-directory-list dir)))
(package-initialize)

(defvar e2e--start (float-time))
(defvar e2e--published nil "Raw publishDiagnostics params, newest first: (URI . DIAGNOSTICS).")

(defun e2e--out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun e2e--ms () (round (* 1000 (- (float-time) e2e--start))))

(defun e2e--wait (pred seconds what)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall pred) (error "Timed out after %ss waiting for %s" seconds what))))

(defun e2e--check (cond fmt &rest args)
  (unless cond (error "%s" (apply #'format fmt args))))

(let* ((repo (or (getenv "CARBONLSP_REPO") (error "CARBONLSP_REPO is not set")))
       (dll (or (getenv "CARBONLSP_DLL") (error "CARBONLSP_DLL is not set")))
       (file (or (getenv "CARBONLSP_E2E_FILE") (error "CARBONLSP_E2E_FILE is not set")))
       (timeout (/ (string-to-number (or (getenv "CARBONLSP_E2E_TIMEOUT_MS") "45000")) 1000.0)))
  (run-at-time timeout nil (lambda () (e2e--out "FAIL timed out after %ss" timeout) (kill-emacs 3)))
  (condition-case err
      (progn
        (unless (require 'eglot nil t)
          (e2e--out "MISSING eglot: install elpa-eglot (Debian 12) or use Emacs 29+")
          (kill-emacs 4))
        (add-to-list 'load-path (expand-file-name "editors/emacs" repo))
        (require 'carbonlsp)
        (e2e--out "eglot %s, emacs %s"
                  (or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) "?")
                  emacs-version)
        (setq carbonlsp-server-command (list "dotnet" dll "serve")
              carbonlsp-settings '(:debounceMs 50)
              carbonlsp-auto-start nil) ; eglot-ensure waits for a command loop that batch mode lacks
        (cl-defmethod eglot-handle-notification :before
          (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
          (push (cons uri diagnostics) e2e--published))
        (find-file file)
        (e2e--check (eq major-mode 'carbonlsp-prompts-mode) "major mode is %s" major-mode)
        ;; What eglot-ensure does once the command loop runs, with the shipped mode and server entry.
        (carbonlsp--maybe-start)
        (apply #'eglot--connect (eglot--guess-contact))
        (let* ((server (eglot--current-server-or-lose))
               (buffer (current-buffer))
               (latest (lambda ()
                         (cdr (cl-find-if (lambda (p) (string-suffix-p (file-name-nondirectory file) (car p)))
                                          e2e--published))))
               (find-code (lambda (code)
                            (cl-find-if (lambda (d) (equal (plist-get d :code) code)) (funcall latest))))
               (summary (lambda ()
                          (eglot--signal-textDocument/didChange)
                          (plist-get (jsonrpc-request server :carbonlsp/summary
                                                      (list :textDocument (eglot--TextDocumentIdentifier)))
                                     :file))))
          (e2e--out "ok attach %d" (e2e--ms))
          (e2e--wait (lambda () (funcall find-code "CL101")) 20 "a CL101 diagnostic")
          ;; Flymake got them too (Eglot hands diagnostics to Flymake).
          (e2e--wait (lambda () (flymake-start) (accept-process-output nil 0.05) (flymake-diagnostics)) 10
                     "Flymake diagnostics")
          (e2e--out "ok diagnostics %d (%d in Flymake)" (e2e--ms) (length (flymake-diagnostics)))

          ;; Edit: Germany -> France; the footprint must drop.
          (let ((before (plist-get (funcall summary) :co2eGrams)) after)
            (goto-char (point-min))
            (e2e--check (search-forward "\"DE\"" nil t) "the fixture has no \"DE\" region")
            (replace-match "\"FR\"" t t)
            (e2e--wait (lambda () (setq after (plist-get (funcall summary) :co2eGrams)) (< after before))
                       10 "a lower CO2e after the edit")
            (e2e--out "ok edit %d (%.3f g -> %.3f g)" (e2e--ms) before after))

          ;; Hover on the "steps" key of the CL101 prompt.
          (e2e--wait (lambda () (funcall find-code "CL101")) 10 "CL101 after the edit")
          (let* ((diag (funcall find-code "CL101"))
                 (line (plist-get (plist-get (plist-get diag :range) :start) :line)))
            (goto-char (point-min))
            (forward-line line)
            (e2e--check (search-forward "\"steps\"" (line-end-position) t) "no \"steps\" on line %d" line)
            (backward-char 3)
            (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
                   (contents (plist-get hover :contents))
                   (text (if (stringp contents) contents (plist-get contents :value))))
              (e2e--check (and text (string-match-p "each extra step costs" text)) "hover on steps: %S" text))
            (e2e--out "ok hover %d" (e2e--ms))

            ;; Quick fix: the server's WorkspaceEdit applied by Eglot's own function.
            (let* ((actions (jsonrpc-request server :textDocument/codeAction
                                             (list :textDocument (eglot--TextDocumentIdentifier)
                                                   :range (plist-get diag :range)
                                                   :context (list :diagnostics (vector diag)))))
                   (fix (cl-find-if (lambda (a) (string-match-p "\\`Use [0-9]+ steps" (plist-get a :title)))
                                    actions)))
              (e2e--check fix "no \"Use N steps\" quick fix among %S"
                          (mapcar (lambda (a) (plist-get a :title)) actions))
              (e2e--check (equal (plist-get fix :kind) "quickfix") "fix kind %S" (plist-get fix :kind))
              (with-current-buffer buffer
                (eglot--apply-workspace-edit (plist-get fix :edit))
                (eglot--signal-textDocument/didChange))
              (e2e--wait (lambda () (and (funcall latest) (not (funcall find-code "CL101")))) 10
                         "CL101 to go after the quick fix")
              (e2e--out "ok quickfix %d" (e2e--ms))))

          (eglot-shutdown server)
          (e2e--out "ok shutdown %d" (e2e--ms))
          (kill-emacs 0)))
    (error
     (e2e--out "FAIL %s" (error-message-string err))
     (kill-emacs 1))))

;;; e2e.el ends here
