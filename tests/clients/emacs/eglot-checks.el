;;; eglot-checks.el --- Drive Eglot against dockerfile-lsp in batch mode  -*- lexical-binding: t -*-

;; Run by tests/tests/client_emacs.rs as
;;   emacs --batch -q -l eglot-checks.el
;; in a temp dir holding tests/clients/fixtures/Dockerfile, with
;; DOCKERFILE_LSP_EMACS_CONFIG naming a file with the README's Eglot configuration.
;; (-q, not -Q: -Q also skips Debian's site-lisp, where elpa-eglot lives.)
;;
;; Checks what Emacs ends up with: the Flymake diagnostics, the hover text as Eglot renders
;; it, completion-at-point candidates, where xref jumps, the buffer after eglot-rename, and
;; the diagnostics after an edit that fixes one. Each check appends "ok NAME: DETAIL" or
;; "FAIL NAME: WHY" to $DOCKERFILE_LSP_RESULT as it goes; on failure the server's stderr
;; and the tail of Eglot's events buffer follow, and Emacs exits with status 1.
;;
;; Batch Emacs never runs its command loop or idle timers, so where Eglot or Flymake wait
;; for those, this script runs the same hook or function once itself (said where it does).

(require 'eglot)
(require 'flymake)
(require 'xref)
(require 'cl-lib)

(defvar dfl-result-file (or (getenv "DOCKERFILE_LSP_RESULT")
                            (error "DOCKERFILE_LSP_RESULT is not set")))
(defvar dfl-timeout 8.0 "Seconds any single wait may take.")

(defun dfl-record (line)
  ;; VISIT 'silent: no "Wrote file" message.
  (write-region (concat line "\n") nil dfl-result-file 'append 'silent))

(define-error 'dfl-failure "Client check failed")

(defun dfl-fail (name fmt &rest args)
  (signal 'dfl-failure (list name (apply #'format fmt args))))

(defmacro dfl-check (name &rest body)
  "Run BODY as check NAME; its value (a string or nil) is logged as the detail."
  (declare (indent 1))
  `(let ((detail (condition-case err
                     (progn ,@body)
                   (dfl-failure (signal (car err) (cdr err)))
                   (error (dfl-fail ,name "Lisp error: %S" err)))))
     (dfl-record (if detail (format "ok %s: %s" ,name detail) (format "ok %s" ,name)))))

(defun dfl-wait (name what pred)
  "Process server output until PRED is non-nil; fail NAME after `dfl-timeout'."
  (let ((deadline (+ (float-time) dfl-timeout)))
    (while (not (funcall pred))
      (when (> (float-time) deadline)
        (dfl-fail name "timed out waiting for %s" what))
      (accept-process-output nil 0.02))))

(defun dfl-goto (context needle &optional offset)
  "Move point into NEEDLE on the first line containing CONTEXT, OFFSET chars in."
  (goto-char (point-min))
  (unless (search-forward context nil t)
    (error "No line with %S" context))
  (beginning-of-line)
  (unless (search-forward needle (line-end-position) t)
    (error "No %S on the line with %S" needle context))
  (goto-char (+ (match-beginning 0) (or offset 1))))

(defun dfl-diagnostics (needle)
  "Flymake diagnostics whose text contains NEEDLE."
  (cl-remove-if-not (lambda (d) (string-match-p (regexp-quote needle) (flymake-diagnostic-text d)))
                    (flymake-diagnostics)))

(defun dfl-describe (diags)
  (mapconcat (lambda (d)
               (format "[line %d %s] %s"
                       (line-number-at-pos (flymake-diagnostic-beg d))
                       (flymake-diagnostic-type d)
                       (flymake-diagnostic-text d)))
             diags "; "))

;; Stand-in for MELPA's dockerfile-mode, which is not packaged for Debian: the README's
;; configuration names that mode.
(define-derived-mode dockerfile-mode prog-mode "Dockerfile"
  "Stand-in for dockerfile-mode.")
(add-to-list 'auto-mode-alist
             '("\\(?:\\`\\|/\\)\\(?:Dockerfile\\|Containerfile\\)\\(?:\\.[^/]*\\)?\\'" . dockerfile-mode))

(defvar dfl-server nil)

(defun dfl-eldoc (fn name)
  "Call ElDoc source FN at point as ElDoc would; the text it reports."
  (let ((got nil))
    (unless (funcall fn (lambda (text &rest _) (setq got (or text 'nothing))))
      (dfl-fail name "%s declined to run" fn))
    (dfl-wait name (format "%s to answer" fn) (lambda () got))
    (if (stringp got) (substring-no-properties got) (dfl-fail name "no text"))))

(defun dfl-main ()
  (load (or (getenv "DOCKERFILE_LSP_EMACS_CONFIG") (error "DOCKERFILE_LSP_EMACS_CONFIG is not set"))
        nil t)
  (find-file "Dockerfile")

  (dfl-check "connect"
    (unless (eq major-mode 'dockerfile-mode)
      (dfl-fail "connect" "major mode %s" major-mode))
    ;; eglot-ensure connects from post-command-hook, i.e. after the command that visited
    ;; the file; batch Emacs has no command loop, so run the hook as it would.
    (run-hooks 'post-command-hook)
    (dfl-wait "connect" "Eglot to manage the buffer"
              (lambda () (and (eglot-current-server) eglot--managed-mode)))
    (setq dfl-server (eglot-current-server))
    (unless (eglot--server-capable :hoverProvider)
      (dfl-fail "connect" "no hoverProvider"))
    (format "%s, root %s" (plist-get (eglot--server-info dfl-server) :name)
            (project-root (eglot--project dfl-server))))

  (dfl-check "diagnostics"
    ;; Flymake asks its backends on a timer after flymake-mode starts; ask now.
    (flymake-start)
    (dfl-wait "diagnostics" "UndefinedVar, and StageNameCasing as an error"
              (lambda ()
                (and (dfl-diagnostics "$APP_NAME")
                     (cl-some (lambda (d) (eq (flymake-diagnostic-type d) 'eglot-error))
                              (dfl-diagnostics "Stage name 'Debug'")))))
    (let ((d (car (dfl-diagnostics "$APP_NAME"))))
      (unless (and (= (line-number-at-pos (flymake-diagnostic-beg d)) 8)
                   ;; A hint: the base image may define the variable.
                   (eq (flymake-diagnostic-type d) 'eglot-note))
        (dfl-fail "diagnostics" "UndefinedVar: %s" (dfl-describe (list d)))))
    ;; StageNameCasing is a warning by default; "error" comes from the README's
    ;; eglot-workspace-configuration, so the settings reached the server.
    (dfl-describe (flymake-diagnostics)))

  (dfl-check "hover"
    (dfl-goto "COPY --from=builder /out/app" "builder")
    ;; What ElDoc shows at point.
    (let ((text (dfl-eldoc #'eglot-hover-eldoc-function "hover")))
      (dolist (word '("stage" "builder" "golang:1.22" "WorkingDir"))
        (unless (string-match-p (regexp-quote word) text)
          (dfl-fail "hover" "no %S in %S" word text)))
      (car (split-string text "\n"))))

  (dfl-check "signature_help"
    (dfl-goto "COPY go.mod" "go.mod" 0)
    (let ((text (dfl-eldoc #'eglot-signature-eldoc-function "signature_help")))
      (unless (string-match-p (regexp-quote "COPY [--from=<stage|image|context>]") text)
        (dfl-fail "signature_help" "unexpected signature help %S" text))
      (car (split-string text "\n"))))

  (dfl-check "definition"
    (dfl-goto "COPY --from=builder /src/go.mod" "builder" 2)
    ;; What M-. does, without the prompt.
    (xref-find-definitions (xref-backend-identifier-at-point (xref-find-backend)))
    (unless (and (equal (buffer-name) "Dockerfile") (= (line-number-at-pos) 2))
      (dfl-fail "definition" "landed in %s line %d" (buffer-name) (line-number-at-pos)))
    (format "line %d: %s" (line-number-at-pos)
            (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

  (dfl-check "completion"
    ;; Type `COPY --from=' in the runtime stage: only the earlier stage is offered.
    (dfl-goto "COPY --from=builder /out/app" "COPY")
    (end-of-line)
    (insert "\nCOPY --from=")
    (let* ((capf (eglot-completion-at-point))
           (labels (and capf (all-completions "" (nth 2 capf)))))
      (delete-region (line-beginning-position) (point))
      (delete-char -1)
      (unless (member "builder" labels)
        (dfl-fail "completion" "builder not offered: %S" labels))
      (when (or (member "runtime" labels) (member "Debug" labels) (member "debug" labels))
        (dfl-fail "completion" "a later stage offered: %S" labels))
      (mapconcat #'identity (sort labels #'string<) ", ")))

  (dfl-check "diagnostics_clear"
    (dfl-goto "/usr/local/bin/$APP_NAME" "COPY")
    (beginning-of-line)
    (insert "ARG APP_NAME=app\n")
    ;; Eglot sends didChange from an idle timer, and Flymake re-runs from one.
    (eglot--signal-textDocument/didChange)
    (flymake-start)
    (dfl-wait "diagnostics_clear" "UndefinedVar to go away"
              (lambda () (null (dfl-diagnostics "$APP_NAME"))))
    (unless (dfl-diagnostics "Stage name 'Debug'")
      (dfl-fail "diagnostics_clear" "StageNameCasing gone too: %s"
                (dfl-describe (flymake-diagnostics))))
    nil)

  (dfl-check "quick_fix"
    ;; M-x eglot-code-actions on the diagnostic, picking the fix from the prompt.
    (dfl-goto "AS Debug" "Debug")
    (let ((offered nil)
          (last-nonmenu-event ?\r)) ; a keyboard event: prompt, don't pop up a menu
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt collection &rest _)
                   (setq offered (mapcar #'car collection))
                   (or (cl-find-if (lambda (title) (string-prefix-p "Rename the stage to debug" title))
                                   offered)
                       (dfl-fail "quick_fix" "no rename fix among %S" offered)))))
        (call-interactively #'eglot-code-actions))
      (unless (string= (buffer-substring-no-properties (line-beginning-position) (line-end-position))
                       "FROM runtime AS debug")
        (dfl-fail "quick_fix" "line after the fix: %S"
                  (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
      (mapconcat #'identity offered " | ")))

  (dfl-check "rename"
    (dfl-goto "AS builder" "builder")
    (eglot-rename "compile")
    (let ((text (buffer-substring-no-properties (point-min) (point-max))))
      (unless (and (not (string-match-p "builder" text))
                   (= (cl-count-if (lambda (l) (string-match-p "AS compile\\'" l))
                                   (split-string text "\n"))
                      1)
                   (= (cl-count-if (lambda (l) (string-prefix-p "COPY --from=compile " l))
                                   (split-string text "\n"))
                      2))
        (dfl-fail "rename" "buffer after rename:\n%s" text)))
    "1 stage and 2 references renamed")

  (dfl-check "formatting"
    (dfl-goto "WORKDIR /src" "WORKDIR")
    (delete-region (line-beginning-position) (line-end-position))
    (insert "workdir /src")
    (eglot-format-buffer)
    (dfl-goto "/src" "/src")
    (let ((line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
      (unless (string= line "WORKDIR /src")
        (dfl-fail "formatting" "line after formatting: %S" line)))
    nil))

(defun dfl-dump-server-output ()
  (when dfl-server
    (let ((stderr (jsonrpc-stderr-buffer dfl-server))
          (events (jsonrpc-events-buffer dfl-server)))
      (when (buffer-live-p stderr)
        (dfl-record (concat "--- server stderr\n"
                            (with-current-buffer stderr (buffer-string)))))
      (when (buffer-live-p events)
        (dfl-record (concat "--- Eglot events (tail)\n"
                            (with-current-buffer events
                              (buffer-substring-no-properties
                               (max (point-min) (- (point-max) 6000)) (point-max)))))))))

(condition-case err
    (progn
      (dfl-main)
      (dfl-check "server_stderr"
        ;; The server wrote no error or panic to stderr.
        (let ((stderr (with-current-buffer (jsonrpc-stderr-buffer dfl-server) (buffer-string))))
          (when (string-match-p "ERROR\\|panicked" stderr)
            (dfl-fail "server_stderr" "%s" stderr))))
      (dfl-record "DONE")
      (when dfl-server
        (ignore-errors (eglot-shutdown dfl-server)))
      (kill-emacs 0))
  (dfl-failure
   (dfl-record (format "FAIL %s: %s" (nth 1 err) (nth 2 err)))
   (dfl-dump-server-output)
   (kill-emacs 1))
  (error
   (dfl-record (format "FAIL script: %S" err))
   (dfl-dump-server-output)
   (kill-emacs 1)))

;;; eglot-checks.el ends here
