;;; carbonlsp.el --- CarbonLsp for Eglot: footprint of text-to-image prompts  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools
;; URL: https://github.com/carbonlsp/carbonlsp

;;; Commentary:

;; Shows the energy and CO2e of the prompts in `*.prompts.json' files through
;; Eglot: diagnostics (Flymake), hover (ElDoc), quick fixes (`eglot-code-actions'),
;; completion and symbols (Imenu).
;;
;;   (add-to-list 'load-path "/path/to/carbonlsp/editors/emacs")
;;   (require 'carbonlsp)
;;   ;; optional:
;;   (setq carbonlsp-server-command '("dotnet" "/path/to/carbonlsp.dll" "serve"))
;;   (setq carbonlsp-settings '(:region "DE" :device "nvidia-rtx-4090"))
;;
;; Visiting a file whose name ends in `.prompts.json' turns on
;; `carbonlsp-prompts-mode' and, when `carbonlsp-auto-start' is non-nil,
;; starts Eglot.

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup carbonlsp nil
  "Energy and carbon footprint of text-to-image prompts."
  :group 'tools
  :prefix "carbonlsp-")

(defcustom carbonlsp-server-command
  (list (or (getenv "CARBONLSP_SERVER") "carbonlsp") "serve")
  "Command line that starts the CarbonLsp server on standard input/output.
For a development build use (\"dotnet\" \"/path/to/carbonlsp.dll\" \"serve\")."
  :type '(repeat string))

(defcustom carbonlsp-settings nil
  "Server settings, the `carbonlsp' section, as a plist.
Example: (:region \"DE\" :device \"nvidia-rtx-4090\" :budget 5
          :rules (:stepsTolerance 1.2 :disabled [\"CL105\"])).
They are sent as initializationOptions and answered to
workspace/configuration.  Per project, put
\(eglot-workspace-configuration . (:carbonlsp (:region \"FR\"))) in
.dir-locals.el instead."
  :type '(plist :key-type keyword :value-type sexp))

(defcustom carbonlsp-auto-start t
  "When non-nil, visiting a prompts file starts Eglot."
  :type 'boolean)

;; JSON mode of the running Emacs: js-json-mode (29+), json-mode (MELPA), else js-mode.
(defalias 'carbonlsp--parent-mode
  (cond ((fboundp 'js-json-mode) #'js-json-mode)
        ((fboundp 'json-mode) #'json-mode)
        (t #'js-mode)))

;;;###autoload
(define-derived-mode carbonlsp-prompts-mode carbonlsp--parent-mode "Prompts"
  "Major mode for CarbonLsp prompt files (`*.prompts.json', JSON with comments)."
  (setq-local comment-start "// ")
  (setq-local comment-end ""))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.prompts\\.json\\'" . carbonlsp-prompts-mode))

(defun carbonlsp--contact (&optional _interactive)
  "The Eglot contact: the server command and its initializationOptions."
  (append carbonlsp-server-command
          (list :initializationOptions
                (lambda (_server) (or carbonlsp-settings eglot--{})))))

(defun carbonlsp--install-settings ()
  "Make `eglot-workspace-configuration' answer the `carbonlsp' section.
Leaves a function value, or a value that already has the section, alone."
  (when carbonlsp-settings
    (let ((conf (default-value 'eglot-workspace-configuration)))
      (cond
       ((functionp conf))
       ((and (consp conf) (consp (car conf)))          ; alist form
        (unless (or (assq :carbonlsp conf) (assoc "carbonlsp" conf))
          (setq-default eglot-workspace-configuration
                        (cons (cons :carbonlsp carbonlsp-settings) conf))))
       (t                                             ; plist form or nil
        (unless (plist-member conf :carbonlsp)
          (setq-default eglot-workspace-configuration
                        (append (list :carbonlsp carbonlsp-settings) conf))))))))

(defun carbonlsp--maybe-start ()
  "Start Eglot in this buffer when `carbonlsp-auto-start' says so."
  (carbonlsp--install-settings)
  (when carbonlsp-auto-start (eglot-ensure)))

(add-hook 'carbonlsp-prompts-mode-hook #'carbonlsp--maybe-start)

(add-to-list 'eglot-server-programs
             '((carbonlsp-prompts-mode :language-id "carbon-prompts") . carbonlsp--contact))

(defun carbonlsp-summary ()
  "Show the CO2e of this file and of the workspace (request carbonlsp/summary)."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (res (jsonrpc-request server :carbonlsp/summary
                               (list :textDocument (eglot--TextDocumentIdentifier))))
         (file (plist-get res :file))
         (ws (plist-get res :workspace)))
    (message "CarbonLsp: file %s, workspace %s"
             (if file (format "%.2f g CO2e (%.2f Wh)" (plist-get file :co2eGrams) (plist-get file :energyWh)) "-")
             (if ws (format "%.2f g CO2e in %d prompts" (plist-get ws :co2eGrams) (plist-get ws :prompts)) "-"))
    res))

(provide 'carbonlsp)
;;; carbonlsp.el ends here
